/* cc-dataverse-client.c — CcDataverseClient: requests, paged and
 * change-tracked reads, single-record writes, key URLs.
 *
 * The metadata calls live in cc-dataverse-metadata.c and $batch in
 * cc-dataverse-batch.c. The rules this file follows come from the
 * Dataverse Web API notes: standard OData headers on every call, server
 * driven paging followed verbatim, delta tokens that can expire.
 */
#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "cc-error.h"
#include "cc-dataverse-client-private.h"
#include "cc-json-parse.h"
#include "cc-json-read.h"
#include "cc-json-scan.h"
#include "cc-token-source.h"

struct _CcDataverseClient
{
  GObject        parent_instance;

  char          *url;        /* environment URL, no trailing slash */
  char          *api_root;   /* <url>/api/data/v9.2/ */
  CcHttp        *http;
  CcTokenSource *tokens;
  CcThrottle    *throttle;   /* the application user's back-off */
};

G_DEFINE_FINAL_TYPE (CcDataverseClient, cc_dataverse_client, G_TYPE_OBJECT)

/* The delta token is too old (ExpiredVersionStamp); Dataverse sends the
 * hex form, the SDK the decimal one. */
#define CODE_EXPIRED_VERSION_STAMP     "0x80044352"
#define CODE_EXPIRED_VERSION_STAMP_DEC "-2147204270"

static void
cc_dataverse_client_finalize (GObject *object)
{
  CcDataverseClient *self = CC_DATAVERSE_CLIENT (object);

  g_free (self->url);
  g_free (self->api_root);
  g_clear_object (&self->http);
  g_clear_object (&self->tokens);
  g_clear_object (&self->throttle);

  G_OBJECT_CLASS (cc_dataverse_client_parent_class)->finalize (object);
}

static void
cc_dataverse_client_class_init (CcDataverseClientClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = cc_dataverse_client_finalize;
}

static void
cc_dataverse_client_init (CcDataverseClient *self)
{
}

CcDataverseClient *
cc_dataverse_client_new (const CcDataverseSettings *settings)
{
  CcDataverseClient *self;
  CcHttpOptions options;
  g_autofree char *token_url = NULL;

  g_return_val_if_fail (settings != NULL, NULL);
  g_return_val_if_fail (settings->url != NULL, NULL);

  self = g_object_new (CC_TYPE_DATAVERSE_CLIENT, NULL);
  self->url = g_strdup (settings->url);
  while (g_str_has_suffix (self->url, "/"))
    self->url[strlen (self->url) - 1] = '\0';
  self->api_root = g_strconcat (self->url, CC_DATAVERSE_API_PATH, NULL);

  cc_http_options_init (&options, CC_HTTP_SERVICE_DYNAMICS);
  if (settings->max_conns > 0)
    options.max_conns_per_host = settings->max_conns;
  self->http = cc_http_new (&options);

  if (settings->token_url != NULL && *settings->token_url != '\0')
    token_url = g_strdup (settings->token_url);
  else
    token_url = cc_token_source_entra_default_url (settings->tenant ? settings->tenant : "");
  self->tokens = cc_token_source_new_entra (token_url, settings->client_id,
                                            settings->secret, self->url);
  self->throttle = settings->throttle != NULL ? g_object_ref (settings->throttle)
                                              : cc_throttle_new ();
  return self;
}

CcHttp *
cc_dataverse_client_get_http (CcDataverseClient *self)
{
  g_return_val_if_fail (CC_IS_DATAVERSE_CLIENT (self), NULL);
  return self->http;
}

CcTokenSource *
cc_dataverse_client_get_token_source (CcDataverseClient *self)
{
  g_return_val_if_fail (CC_IS_DATAVERSE_CLIENT (self), NULL);
  return self->tokens;
}

CcThrottle *
cc_dataverse_client_get_throttle (CcDataverseClient *self)
{
  g_return_val_if_fail (CC_IS_DATAVERSE_CLIENT (self), NULL);
  return self->throttle;
}

const char *
cc_dataverse_client_get_api_root (CcDataverseClient *self)
{
  g_return_val_if_fail (CC_IS_DATAVERSE_CLIENT (self), NULL);
  return self->api_root;
}

gboolean
cc_dataverse_client_authenticate (CcDataverseClient  *self,
                                  GCancellable       *cancellable,
                                  GError            **error)
{
  g_autofree char *token = NULL;

  g_return_val_if_fail (CC_IS_DATAVERSE_CLIENT (self), FALSE);

  /* Always ask the endpoint: this is how credentials are checked. */
  cc_token_source_invalidate (self->tokens);
  token = cc_token_source_get_token (self->tokens, self->http, cancellable, error);
  return token != NULL;
}

/* ------------------------------------------------------------------ */
/* Private helpers                                                     */

char *
cc_dataverse_client_resolve (CcDataverseClient *self,
                             const char        *path)
{
  if (g_str_has_prefix (path, "http://") || g_str_has_prefix (path, "https://"))
    return g_strdup (path);
  while (*path == '/')
    path++;
  return g_strconcat (self->api_root, path, NULL);
}

CcHttpRequest *
cc_dataverse_client_new_request (CcDataverseClient *self,
                                 const char        *method,
                                 const char        *url)
{
  g_autofree char *absolute = cc_dataverse_client_resolve (self, url);
  CcHttpRequest *request = cc_http_request_new (method, absolute);

  cc_http_request_set_header (request, "Accept", "application/json");
  cc_http_request_set_header (request, "OData-MaxVersion", "4.0");
  cc_http_request_set_header (request, "OData-Version", "4.0");
  /* Recommended on reads: keeps caches from serving stale collections. */
  if (g_strcmp0 (method, "GET") == 0)
    cc_http_request_set_header (request, "If-None-Match", "null");
  cc_http_request_set_expect_json (request, TRUE);
  cc_http_request_set_token_source (request, self->tokens);
  cc_http_request_set_throttle (request, self->throttle);
  return request;
}

gboolean
cc_dataverse_client_check_access (CcDataverseClient  *self,
                                  CcHttpResponse     *response,
                                  GError            **error)
{
  g_autofree char *words = NULL;

  if (response->status != SOUP_STATUS_UNAUTHORIZED && response->status != SOUP_STATUS_FORBIDDEN)
    return TRUE;

  words = cc_http_error_message (CC_HTTP_SERVICE_DYNAMICS, response);
  if (response->status == SOUP_STATUS_FORBIDDEN)
    g_set_error (error, CC_ERROR, CC_ERROR_AUTH_FAILED,
                 _("%s. The application user lacks a privilege: give it a security role that allows this."),
                 words);
  else
    g_set_error (error, CC_ERROR, CC_ERROR_AUTH_FAILED, "%s", words);
  return FALSE;
}

char *
cc_dataverse_escape_query_value (const char *value)
{
  /* OData syntax characters stay readable; everything that means
   * something else in a URL (space, &, +, #, %, ?) is encoded. */
  return g_uri_escape_string (value, "'(),:$/@*", FALSE);
}

/* ------------------------------------------------------------------ */
/* Results                                                             */

CcDataverseResult *
cc_dataverse_result_new (guint               status,
                         const char         *reason,
                         SoupMessageHeaders *headers,
                         const char         *body,
                         gsize               body_len)
{
  CcDataverseResult *result = g_new0 (CcDataverseResult, 1);

  result->status = status;
  if (headers != NULL)
    {
      const char *entity = soup_message_headers_get_one (headers, "OData-EntityId");
      const char *etag = soup_message_headers_get_one (headers, "ETag");

      if (entity == NULL)
        entity = soup_message_headers_get_one (headers, "Location");
      if (entity != NULL)
        result->entity_id = cc_dataverse_client_parse_entity_id (entity);
      result->etag = g_strdup (etag);
    }

  if (body != NULL && body_len > 0)
    {
      g_autoptr(JsonNode) node = cc_json_parse (body, body_len, CC_JSON_MAX_ANSWER, NULL);

      if (node != NULL && JSON_NODE_HOLDS_OBJECT (node))
        {
          JsonObject *root = json_node_get_object (node);
          JsonObject *err = cc_json_read_object (root, "error");

          if (err != NULL)
            {
              const char *code = cc_json_read_string (err, "code");
              const char *message = cc_json_read_string (err, "message");

              result->error_code = code && *code ? g_strdup (code) : NULL;
              result->message = message && *message ? g_strdup (message) : NULL;
            }
          else
            {
              result->body = json_object_ref (root);
              if (result->entity_id == NULL && result->body != NULL)
                {
                  /* 201 with return=representation carries no
                   * OData-EntityId; the id is in the body then. */
                  const char *ctx = cc_json_read_string (root, "@odata.id");

                  if (ctx != NULL)
                    result->entity_id = cc_dataverse_client_parse_entity_id (ctx);
                }
            }
        }
    }

  if (!SOUP_STATUS_IS_SUCCESSFUL (status) && result->message == NULL && status != 0)
    result->message = g_strdup_printf ("%u %s", status, reason ? reason : "");
  return result;
}

void
cc_dataverse_result_free (CcDataverseResult *result)
{
  if (result == NULL)
    return;
  g_free (result->error_code);
  g_free (result->message);
  g_free (result->entity_id);
  g_free (result->content_id);
  g_free (result->etag);
  g_clear_pointer (&result->body, json_object_unref);
  g_free (result);
}

gboolean
cc_dataverse_result_is_success (const CcDataverseResult *result)
{
  g_return_val_if_fail (result != NULL, FALSE);
  return SOUP_STATUS_IS_SUCCESSFUL (result->status);
}

CcDataverseResult *
cc_dataverse_result_from (CcHttpResponse *response)
{
  gsize len;
  const char *data = g_bytes_get_data (response->body, &len);

  return cc_dataverse_result_new (response->status, response->reason,
                                  response->headers, data, len);
}

/* ------------------------------------------------------------------ */
/* Key paths                                                           */

char *
cc_dataverse_client_build_id_path (const char *entity_set,
                                   const char *id)
{
  g_return_val_if_fail (entity_set != NULL, NULL);
  g_return_val_if_fail (id != NULL, NULL);

  return g_strdup_printf ("%s(%s)", entity_set, id);
}

char *
cc_dataverse_client_build_key_path (const char         *entity_set,
                                    const char * const *keys,
                                    const char * const *values)
{
  GString *path;

  g_return_val_if_fail (entity_set != NULL, NULL);
  g_return_val_if_fail (keys != NULL && keys[0] != NULL, NULL);
  g_return_val_if_fail (values != NULL, NULL);

  path = g_string_new (entity_set);
  g_string_append_c (path, '(');
  for (guint i = 0; keys[i] != NULL && values[i] != NULL; i++)
    {
      g_auto(GStrv) parts = g_strsplit (values[i], "'", -1);
      g_autofree char *doubled = g_strjoinv ("''", parts);
      /* The quote stays literal (it is OData syntax once doubled);
       * everything else that is not plain text is percent-encoded. */
      g_autofree char *escaped = g_uri_escape_string (doubled, "'@", FALSE);

      if (i > 0)
        g_string_append_c (path, ',');
      g_string_append_printf (path, "%s='%s'", keys[i], escaped);
    }
  g_string_append_c (path, ')');
  return g_string_free (path, FALSE);
}

char *
cc_dataverse_client_parse_entity_id (const char *entity_url)
{
  const char *open;
  const char *close;

  g_return_val_if_fail (entity_url != NULL, NULL);

  close = strrchr (entity_url, ')');
  if (close == NULL)
    return NULL;
  for (open = close; open > entity_url && *open != '('; open--)
    ;
  if (*open != '(' || close <= open + 1)
    return NULL;
  return g_strndup (open + 1, close - open - 1);
}

gboolean
cc_dataverse_is_guid (const char *text)
{
  static const int groups[] = { 8, 4, 4, 4, 12 };
  const char *p = text;

  if (text == NULL)
    return FALSE;
  for (guint g = 0; g < G_N_ELEMENTS (groups); g++)
    {
      for (int i = 0; i < groups[g]; i++, p++)
        if (!g_ascii_isxdigit (*p))
          return FALSE;
      if (g + 1 < G_N_ELEMENTS (groups) && *p++ != '-')
        return FALSE;
    }
  return *p == '\0';
}

/* ------------------------------------------------------------------ */
/* Reading                                                             */

void
cc_dataverse_page_free (CcDataversePage *page)
{
  if (page == NULL)
    return;
  g_clear_pointer (&page->rows, g_ptr_array_unref);
  g_clear_pointer (&page->deleted_ids, g_ptr_array_unref);
  g_free (page->next_link);
  g_free (page->delta_link);
  g_free (page);
}

static void
append_select (GString            *url,
               const char * const *columns)
{
  g_string_append (url, "$select=");
  for (guint i = 0; columns[i] != NULL; i++)
    {
      g_autofree char *escaped = g_uri_escape_string (columns[i], NULL, FALSE);

      if (i > 0)
        g_string_append_c (url, ',');
      g_string_append (url, escaped);
    }
}

/* The value of @param when it is the $select (spelt either way). */
static const char *
select_value (const char *param)
{
  if (g_str_has_prefix (param, "$select="))
    return param + strlen ("$select=");
  if (g_str_has_prefix (param, "%24select="))
    return param + strlen ("%24select=");
  return NULL;
}

GStrv
cc_dataverse_url_dup_select (const char *url)
{
  const char *query = url != NULL ? strchr (url, '?') : NULL;
  g_auto(GStrv) params = NULL;

  if (query == NULL)
    return NULL;
  params = g_strsplit (query + 1, "&", -1);
  for (guint i = 0; params[i] != NULL; i++)
    {
      const char *value = select_value (params[i]);
      g_autofree char *decoded = value != NULL ? g_uri_unescape_string (value, NULL) : NULL;

      if (decoded != NULL)
        return g_strsplit (decoded, ",", -1);
    }
  return NULL;
}

char *
cc_dataverse_url_set_select (const char         *url,
                             const char * const *columns)
{
  const char *query;
  g_autoptr(GString) out = NULL;
  g_auto(GStrv) params = NULL;
  gboolean selected = FALSE;

  g_return_val_if_fail (columns != NULL, NULL);

  if (url == NULL || (!g_str_has_prefix (url, "https://") && !g_str_has_prefix (url, "http://")))
    return NULL;
  query = strchr (url, '?');
  out = g_string_new_len (url, query != NULL ? query - url : (gssize) strlen (url));
  g_string_append_c (out, '?');
  /* Parameter by parameter, as written: only $select is made anew. */
  params = g_strsplit (query != NULL ? query + 1 : "", "&", -1);
  for (guint i = 0; params[i] != NULL; i++)
    {
      if (*params[i] == '\0')
        continue;
      if (out->str[out->len - 1] != '?')
        g_string_append_c (out, '&');
      if (select_value (params[i]) != NULL)
        {
          append_select (out, columns);
          selected = TRUE;
        }
      else
        g_string_append (out, params[i]);
    }
  if (!selected)
    {
      if (out->str[out->len - 1] != '?')
        g_string_append_c (out, '&');
      append_select (out, columns);
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}

char *
cc_dataverse_client_build_query_url (CcDataverseClient  *self,
                                     const char         *entity_set,
                                     const char * const *columns,
                                     const char         *filter)
{
  GString *url;
  char sep = '?';

  g_return_val_if_fail (CC_IS_DATAVERSE_CLIENT (self), NULL);
  g_return_val_if_fail (entity_set != NULL, NULL);

  url = g_string_new (self->api_root);
  g_string_append (url, entity_set);
  if (columns != NULL && columns[0] != NULL)
    {
      g_string_append_c (url, '?');
      append_select (url, columns);
      sep = '&';
    }
  if (filter != NULL && *filter != '\0')
    {
      g_autofree char *escaped = cc_dataverse_escape_query_value (filter);

      g_string_append_printf (url, "%c$filter=%s", sep, escaped);
    }
  return g_string_free (url, FALSE);
}

/* "contacts" from ".../api/data/v9.2/contacts?..." for messages. */
static char *
entity_set_of (const char *path)
{
  const char *slash = strrchr (path, '/');
  const char *name = slash ? slash + 1 : path;
  const char *paren = strchr (name, '(');

  return paren ? g_strndup (name, paren - name) : g_strdup (name);
}

static void
set_read_error (CcHttpResponse        *response,
                CcDataverseReadFlags   flags,
                GError               **error)
{
  g_autofree char *code = cc_http_response_dup_error_code (response);
  g_autofree char *words = cc_http_response_dup_server_message (response);
  g_autofree char *full = cc_http_error_message (CC_HTTP_SERVICE_DYNAMICS, response);
  g_autofree char *set = entity_set_of (response->path);
  g_autoptr(GMatchInfo) match = NULL;
  static GRegex *missing_property = NULL;

  /* Matched on the code, whatever the status: the Web API does not
   * document which 4xx carries it. */
  if (code != NULL
      && (g_ascii_strcasecmp (code, CODE_EXPIRED_VERSION_STAMP) == 0
          || g_strcmp0 (code, CODE_EXPIRED_VERSION_STAMP_DEC) == 0))
    {
      g_set_error (error, CC_ERROR, CC_ERROR_EXPIRED_CURSOR,
                   _("The change-tracking token of %s has expired (%s); the table must be read again in full"),
                   set, words ? words : code);
      return;
    }

  if (g_once_init_enter (&missing_property))
    g_once_init_leave (&missing_property,
                       g_regex_new ("Could not find a property named '([^']+)' on type '(?:[A-Za-z.]+\\.)?([^']+)'",
                                    G_REGEX_OPTIMIZE, 0, NULL));
  if (response->status == SOUP_STATUS_BAD_REQUEST && words != NULL
      && g_regex_match (missing_property, words, 0, &match))
    {
      g_autofree char *column = g_match_info_fetch (match, 1);
      g_autofree char *table = g_match_info_fetch (match, 2);

      g_set_error (error, CC_ERROR, CC_ERROR_SCHEMA,
                   _("Column '%s' does not exist in table '%s' in Dynamics 365 (%s)"),
                   column, table, words);
      return;
    }

  if (response->status == SOUP_STATUS_NOT_FOUND)
    {
      g_set_error (error, CC_ERROR, CC_ERROR_SCHEMA,
                   _("Table '%s' does not exist in Dynamics 365 (%s)"), set, full);
      return;
    }

  if ((flags & CC_DATAVERSE_READ_TRACK_CHANGES) != 0 && words != NULL
      && (strstr (words, "hange tracking") != NULL || strstr (words, "hange Tracking") != NULL))
    {
      g_set_error (error, CC_ERROR, CC_ERROR_SCHEMA,
                   _("Change tracking is not enabled for '%s' in Dynamics 365 (%s). Enable “Track changes” on the table."),
                   set, words);
      return;
    }

  g_set_error (error, CC_ERROR, CC_ERROR_FAILED, "%s", full);
}

static gboolean
is_deleted_entity (CcJsonRow *row)
{
  const char *context = cc_json_row_get_string (row, "@odata.context");

  if (context != NULL && g_str_has_suffix (context, "/$deletedEntity"))
    return TRUE;
  return g_strcmp0 (cc_json_row_get_string (row, "reason"), "deleted") == 0
    && cc_json_row_has_member (row, "id")
    && !cc_json_row_has_member (row, "@odata.etag");
}

/* The Prefer header of a read: the page size and what @flags ask for. */
static char *
read_preferences (CcDataverseReadFlags flags,
                  guint                max_page_size)
{
  GString *prefer = g_string_new (NULL);

  if (max_page_size == 0 || max_page_size > CC_DATAVERSE_MAX_PAGE_SIZE)
    max_page_size = CC_DATAVERSE_MAX_PAGE_SIZE;
  g_string_append_printf (prefer, "odata.maxpagesize=%u", max_page_size);
  if (flags & CC_DATAVERSE_READ_TRACK_CHANGES)
    g_string_append (prefer, ",odata.track-changes");
  if (flags & CC_DATAVERSE_READ_FORMATTED_VALUES)
    g_string_append (prefer, ",odata.include-annotations=\"OData.Community.Display.V1.FormattedValue\"");
  return g_string_free (prefer, FALSE);
}

/* A row of a collection (taken), or the id of a deleted one that a
 * change-tracking read brings along. */
static void
add_row (CcDataversePage *page,
         CcJsonRow       *row)
{
  const char *id;

  if (!is_deleted_entity (row))
    {
      g_ptr_array_add (page->rows, row);
      return;
    }
  id = cc_json_row_get_string (row, "id");
  if (id != NULL)
    g_ptr_array_add (page->deleted_ids, g_strdup (id));
  cc_json_row_free (row);
}

/* The members of a page besides its rows, in the order of CcPageLink. */
static const char * const page_links[] = { "@odata.nextLink", "@odata.deltaLink", NULL };

typedef enum
{
  PAGE_NEXT_LINK,
  PAGE_DELTA_LINK,
} CcPageLink;

static gpointer
scan_page (GBytes *body)
{
  return cc_json_scan_rows (body, "value", page_links);
}

/* The page from its scan (taken): no tree of it. */
static void
read_scanned (CcJsonRows      *scanned,
              CcDataversePage *page)
{
  gsize n = 0;
  CcJsonRow **rows = (CcJsonRow **) g_ptr_array_steal (scanned->rows, &n);

  for (gsize i = 0; i < n; i++)
    add_row (page, rows[i]);
  g_free (rows);
  page->next_link = g_steal_pointer (&scanned->strings[PAGE_NEXT_LINK]);
  page->delta_link = g_steal_pointer (&scanned->strings[PAGE_DELTA_LINK]);
  cc_json_rows_free (scanned);
}

/* The page from the tree of a body the scan left to the parser. */
static gboolean
read_tree (CcHttpResponse  *response,
           CcDataversePage *page,
           GError         **error)
{
  g_autoptr(JsonObject) root = cc_http_response_dup_object (response);
  JsonArray *value;

  if (root == NULL)
    {
      g_set_error (error, CC_ERROR, CC_ERROR_FAILED,
                   _("Dynamics 365 answered GET %s with something that is not a collection"),
                   response->path);
      return FALSE;
    }
  value = cc_json_read_array (root, "value");
  for (guint i = 0; value != NULL && i < json_array_get_length (value); i++)
    {
      JsonNode *node = json_array_get_element (value, i);

      if (JSON_NODE_HOLDS_OBJECT (node))
        add_row (page, cc_json_row_new_for_object (json_node_get_object (node)));
    }
  page->next_link = g_strdup (cc_json_read_string (root, page_links[PAGE_NEXT_LINK]));
  page->delta_link = g_strdup (cc_json_read_string (root, page_links[PAGE_DELTA_LINK]));
  return TRUE;
}

CcDataversePage *
cc_dataverse_client_parse_page (CcHttpResponse        *response,
                                CcDataverseReadFlags   flags,
                                GError               **error)
{
  g_autoptr(CcDataversePage) page = NULL;

  g_return_val_if_fail (response != NULL, NULL);

  if (!cc_http_response_is_success (response))
    {
      set_read_error (response, flags, error);
      return NULL;
    }

  page = g_new0 (CcDataversePage, 1);
  page->rows = g_ptr_array_new_with_free_func ((GDestroyNotify) cc_json_row_free);
  page->deleted_ids = g_ptr_array_new_with_free_func (g_free);
  /* "No changes" may come as an empty body; that is an empty page. */
  if (g_bytes_get_size (response->body) == 0)
    return g_steal_pointer (&page);

  /* Scanned already when it was received (cc_dataverse_client_read_page ()),
   * unless it was parsed. */
  if (cc_http_response_scan_body (response, scan_page, (GDestroyNotify) cc_json_rows_free))
    read_scanned (g_steal_pointer (&response->scanned_body), page);
  else if (!read_tree (response, page, error))
    return NULL;
  return g_steal_pointer (&page);
}

CcDataversePage *
cc_dataverse_client_read_page (CcDataverseClient    *self,
                               const char           *url,
                               CcDataverseReadFlags  flags,
                               guint                 max_page_size,
                               GCancellable         *cancellable,
                               GError              **error)
{
  g_autoptr(CcHttpRequest) request = NULL;
  g_autoptr(CcHttpResponse) response = NULL;
  g_autofree char *prefer = NULL;

  g_return_val_if_fail (CC_IS_DATAVERSE_CLIENT (self), NULL);
  g_return_val_if_fail (url != NULL, NULL);

  prefer = read_preferences (flags, max_page_size);
  request = cc_dataverse_client_new_request (self, "GET", url);
  cc_http_request_set_header (request, "Prefer", prefer);
  cc_http_request_set_expect_json_scan (request, scan_page, (GDestroyNotify) cc_json_rows_free);
  response = cc_http_send (self->http, request, cancellable, error);
  if (response == NULL || !cc_dataverse_client_check_access (self, response, error))
    return NULL;
  return cc_dataverse_client_parse_page (response, flags, error);
}

/* ------------------------------------------------------------------ */
/* Single writes                                                       */

static CcDataverseResult *
send_for_result (CcDataverseClient  *self,
                 CcHttpRequest      *request,
                 GCancellable       *cancellable,
                 GError            **error)
{
  g_autoptr(CcHttpResponse) response = NULL;

  response = cc_http_send (self->http, request, cancellable, error);
  if (response == NULL)
    return NULL;
  if (!cc_dataverse_client_check_access (self, response, error))
    return NULL;
  return cc_dataverse_result_from (response);
}

static void
set_body (CcHttpRequest *request,
          JsonObject    *body)
{
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);

  json_node_set_object (node, body);
  cc_http_request_set_json_body (request, node);
}

CcDataverseResult *
cc_dataverse_client_create (CcDataverseClient  *self,
                            const char         *entity_set,
                            JsonObject         *body,
                            GCancellable       *cancellable,
                            GError            **error)
{
  g_autoptr(CcHttpRequest) request = NULL;

  g_return_val_if_fail (CC_IS_DATAVERSE_CLIENT (self), NULL);
  g_return_val_if_fail (entity_set != NULL, NULL);
  g_return_val_if_fail (body != NULL, NULL);

  request = cc_dataverse_client_new_request (self, "POST", entity_set);
  set_body (request, body);
  return send_for_result (self, request, cancellable, error);
}

CcHttpRequest *
cc_dataverse_client_upsert_request (CcDataverseClient     *self,
                                    const char            *path,
                                    JsonObject            *body,
                                    CcDataverseUpsertMode  mode)
{
  CcHttpRequest *request = cc_dataverse_client_new_request (self, "PATCH", path);

  set_body (request, body);
  if (mode == CC_DATAVERSE_UPSERT_UPDATE_ONLY)
    cc_http_request_set_header (request, "If-Match", "*");
  else if (mode == CC_DATAVERSE_UPSERT_CREATE_ONLY)
    cc_http_request_set_header (request, "If-None-Match", "*");
  return request;
}

CcDataverseResult *
cc_dataverse_client_upsert (CcDataverseClient     *self,
                            const char            *path,
                            JsonObject            *body,
                            CcDataverseUpsertMode  mode,
                            GCancellable          *cancellable,
                            GError               **error)
{
  g_autoptr(CcHttpRequest) request = NULL;

  g_return_val_if_fail (CC_IS_DATAVERSE_CLIENT (self), NULL);
  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (body != NULL, NULL);

  request = cc_dataverse_client_upsert_request (self, path, body, mode);
  return send_for_result (self, request, cancellable, error);
}

CcDataverseResult *
cc_dataverse_client_update (CcDataverseClient  *self,
                            const char         *path,
                            JsonObject         *body,
                            GCancellable       *cancellable,
                            GError            **error)
{
  return cc_dataverse_client_upsert (self, path, body, CC_DATAVERSE_UPSERT_UPDATE_ONLY,
                                     cancellable, error);
}

CcDataverseResult *
cc_dataverse_client_delete (CcDataverseClient  *self,
                            const char         *path,
                            GCancellable       *cancellable,
                            GError            **error)
{
  g_autoptr(CcHttpRequest) request = NULL;

  g_return_val_if_fail (CC_IS_DATAVERSE_CLIENT (self), NULL);
  g_return_val_if_fail (path != NULL, NULL);

  request = cc_dataverse_client_new_request (self, "DELETE", path);
  return send_for_result (self, request, cancellable, error);
}

CcHttpRequest *
cc_dataverse_client_get_request (CcDataverseClient  *self,
                                 const char         *path,
                                 const char * const *columns)
{
  g_autoptr(GString) url = g_string_new (path);

  if (columns != NULL && columns[0] != NULL)
    {
      g_autofree char *joined = g_strjoinv (",", (char **) columns);
      g_autofree char *escaped = g_uri_escape_string (joined, ",", FALSE);

      g_string_append_printf (url, "%c$select=%s", strchr (path, '?') ? '&' : '?', escaped);
    }
  return cc_dataverse_client_new_request (self, "GET", url->str);
}

CcDataverseResult *
cc_dataverse_client_get (CcDataverseClient  *self,
                         const char         *path,
                         const char * const *columns,
                         GCancellable       *cancellable,
                         GError            **error)
{
  g_autoptr(CcHttpRequest) request = NULL;

  g_return_val_if_fail (CC_IS_DATAVERSE_CLIENT (self), NULL);
  g_return_val_if_fail (path != NULL, NULL);

  request = cc_dataverse_client_get_request (self, path, columns);
  return send_for_result (self, request, cancellable, error);
}
