/* cc-campaign-journal.c — email events: the I/O Events journal and the
 * per-profile marketing history.
 *
 * The journal is read page by page from a position; the next page's URL
 * comes in a Link header (rel="next"), which is parsed as RFC 8288 says
 * rather than by cutting strings. 204 means "nothing newer yet". The
 * marketing history is the documented slow path: one profile at a time.
 */
#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "cc-error.h"
#include "cc-campaign-client-private.h"
#include "cc-json-read.h"

static void
journal_event_free (CcCampaignJournalEvent *event)
{
  g_free (event->position);
  g_clear_pointer (&event->event, json_object_unref);
  g_free (event);
}

void
cc_campaign_journal_page_free (CcCampaignJournalPage *page)
{
  if (page == NULL)
    return;
  g_clear_pointer (&page->events, g_ptr_array_unref);
  g_free (page->next_url);
  g_free (page->last_position);
  g_free (page);
}

/* ------------------------------------------------------------------ */
/* Link header                                                         */

static const char *
skip_ws (const char *p)
{
  while (*p == ' ' || *p == '\t')
    p++;
  return p;
}

/* A token or a quoted-string (with \-escapes) starting at @p; *out gets
 * its value. Returns where parsing stopped. */
static const char *
parse_param_value (const char  *p,
                   char       **out)
{
  GString *value = g_string_new (NULL);

  if (*p == '"')
    {
      p++;
      while (*p != '\0' && *p != '"')
        {
          if (*p == '\\' && p[1] != '\0')
            p++;
          g_string_append_c (value, *p++);
        }
      if (*p == '"')
        p++;
    }
  else
    {
      while (*p != '\0' && *p != ';' && *p != ',' && *p != ' ' && *p != '\t')
        g_string_append_c (value, *p++);
    }
  *out = g_string_free (value, FALSE);
  return p;
}

static gboolean
rel_has_next (const char *rel)
{
  g_auto(GStrv) words = g_strsplit_set (rel, " \t", -1);

  for (guint i = 0; words[i] != NULL; i++)
    if (g_ascii_strcasecmp (words[i], "next") == 0)
      return TRUE;
  return FALSE;
}

/* A link the journal can be read on: a reference relative to the page
 * (resolved against its URL, which has a host), or an http(s) URL with a
 * host. Any other is no page of the journal; and GLib 2.74 fails an
 * assertion (a GLib-CRITICAL) resolving a scheme without a host whose
 * path starts with "//" once its dot segments are gone ("x:/..//a"). */
static gboolean
is_journal_link (const char *target)
{
  const char *scheme = g_uri_peek_scheme (target);   /* interned */

  if (scheme == NULL)
    return TRUE;
  return (g_str_equal (scheme, "https") || g_str_equal (scheme, "http"))
         && g_str_has_prefix (target + strlen (scheme) + 1, "//");
}

char *
cc_campaign_client_parse_link_next (const char *link_header,
                                    const char *base_url)
{
  const char *p = link_header;

  if (link_header == NULL)
    return NULL;

  /* Link: <uri>; param=value; param="value", <uri2>; … */
  while (*p != '\0')
    {
      g_autofree char *target = NULL;
      gboolean is_next = FALSE;
      const char *end;

      p = skip_ws (p);
      while (*p == ',' || *p == ' ' || *p == '\t')
        p++;
      if (*p == '\0')
        break;
      if (*p != '<')
        return NULL;  /* not a Link header we can trust */
      end = strchr (p + 1, '>');
      if (end == NULL)
        return NULL;
      target = g_strndup (p + 1, end - p - 1);
      p = end + 1;

      for (;;)
        {
          g_autofree char *name = NULL;
          g_autofree char *value = NULL;
          const char *name_start;

          p = skip_ws (p);
          if (*p != ';')
            break;
          p = skip_ws (p + 1);
          name_start = p;
          while (*p != '\0' && *p != '=' && *p != ';' && *p != ',' && *p != ' ' && *p != '\t')
            p++;
          name = g_strndup (name_start, p - name_start);
          p = skip_ws (p);
          if (*p == '=')
            p = parse_param_value (skip_ws (p + 1), &value);
          if (value != NULL && g_ascii_strcasecmp (name, "rel") == 0 && rel_has_next (value))
            is_next = TRUE;
        }

      if (is_next && is_journal_link (target))
        {
          if (base_url != NULL)
            {
              char *resolved = g_uri_resolve_relative (base_url, target, SOUP_HTTP_URI_FLAGS, NULL);

              if (resolved != NULL)
                return resolved;
            }
          return g_steal_pointer (&target);
        }

      /* Anything up to the next link-value is skipped. */
      while (*p != '\0' && *p != ',')
        p++;
    }
  return NULL;
}

/* ------------------------------------------------------------------ */
/* Journal                                                             */

char *
cc_campaign_client_build_journal_url (CcCampaignClient *self,
                                      const char       *since,
                                      guint             limit)
{
  const char *journal = cc_campaign_client_get_journal_url (self);
  GString *url;

  g_return_val_if_fail (CC_IS_CAMPAIGN_CLIENT (self), NULL);

  if (journal == NULL)
    return NULL;
  url = g_string_new (journal);
  if (since != NULL && *since != '\0')
    {
      g_autofree char *escaped = g_uri_escape_string (since, NULL, FALSE);

      g_string_append_printf (url, "%csince=%s", strchr (url->str, '?') ? '&' : '?', escaped);
    }
  if (limit > 0)
    g_string_append_printf (url, "%climit=%u", strchr (url->str, '?') ? '&' : '?', limit);
  return g_string_free (url, FALSE);
}

/* Refuses an answer other than a success. A position the journal no
 * longer knows (past its retention, or not one of its own) cannot be read
 * from: the reader must start over, as after an expired delta token. */
static gboolean
check_journal_answer (CcHttpResponse  *response,
                      GError         **error)
{
  g_autofree char *message = NULL;

  if (cc_http_response_is_success (response))
    return TRUE;
  message = cc_http_error_message (CC_HTTP_SERVICE_CAMPAIGN, response);
  g_set_error (error, CC_ERROR,
               response->status == SOUP_STATUS_BAD_REQUEST || response->status == SOUP_STATUS_GONE
               ? CC_ERROR_EXPIRED_CURSOR : CC_ERROR_FAILED,
               "%s", message);
  return FALSE;
}

/* The events of a journal page, each with its position; an item without
 * either is passed over. */
static void
read_events (JsonObject *root,
             GPtrArray  *events)
{
  JsonArray *items = cc_json_read_array (root, "events");

  for (guint i = 0; items != NULL && i < json_array_get_length (items); i++)
    {
      JsonNode *node = json_array_get_element (items, i);
      JsonObject *item = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
      JsonObject *body = cc_json_read_object (item, "event");
      const char *position = item != NULL
                             ? cc_json_read_string (item, "position")
                             : NULL;
      CcCampaignJournalEvent *event;

      if (position == NULL || body == NULL)
        continue;
      event = g_new0 (CcCampaignJournalEvent, 1);
      event->position = g_strdup (position);
      event->event = json_object_ref (body);
      g_ptr_array_add (events, event);
    }
}

/* The page's last position: as the page says, else its last event's. */
static char *
last_position (JsonObject *root,
               GPtrArray  *events)
{
  JsonObject *paging = cc_json_read_object (root, "_page");
  const char *last = paging ? cc_json_read_string (paging, "last")
                            : NULL;

  if (last == NULL && events->len > 0)
    last = ((CcCampaignJournalEvent *) g_ptr_array_index (events, events->len - 1))->position;
  return g_strdup (last);
}

/* The page after the one @url read, which ended at @position: from there,
 * with the same limit. */
static char *
url_after (CcCampaignClient *self,
           const char       *url,
           const char       *position)
{
  g_autoptr(GUri) uri = g_uri_parse (url, SOUP_HTTP_URI_FLAGS, NULL);
  g_autoptr(GHashTable) params = NULL;
  const char *limit = NULL;

  if (uri != NULL && g_uri_get_query (uri) != NULL)
    params = g_uri_parse_params (g_uri_get_query (uri), -1, "&", G_URI_PARAMS_NONE, NULL);
  if (params != NULL)
    limit = g_hash_table_lookup (params, "limit");
  return cc_campaign_client_build_journal_url (self, position,
                                               limit ? (guint) g_ascii_strtoull (limit, NULL, 10)
                                                     : 0);
}

CcCampaignJournalPage *
cc_campaign_client_read_journal_answer (CcCampaignClient  *self,
                                        const char        *url,
                                        CcHttpResponse    *response,
                                        GError           **error)
{
  g_autoptr(CcCampaignJournalPage) page = NULL;
  g_autoptr(JsonObject) root = NULL;
  const char *link;

  if (!check_journal_answer (response, error))
    return NULL;

  page = g_new0 (CcCampaignJournalPage, 1);
  page->events = g_ptr_array_new_with_free_func ((GDestroyNotify) journal_event_free);
  link = soup_message_headers_get_list (response->headers, "Link");
  page->next_url = cc_campaign_client_parse_link_next (link, url);

  /* 204, or an empty body: nothing newer yet. */
  if (response->status != SOUP_STATUS_NO_CONTENT && g_bytes_get_size (response->body) > 0)
    {
      root = cc_http_response_dup_object (response);
      if (root == NULL)
        {
          g_set_error (error, CC_ERROR, CC_ERROR_FAILED,
                       _("Adobe Campaign answered GET %s with something that is not a journal "
                         "page"),
                       response->path);
          return NULL;
        }
      read_events (root, page->events);
      page->last_position = last_position (root, page->events);
      /* Without a Link header, the next page starts after this one's
       * last event. */
      if (page->next_url == NULL && page->last_position != NULL)
        page->next_url = url_after (self, url, page->last_position);
    }
  if (page->next_url == NULL)
    page->next_url = g_strdup (url);
  return g_steal_pointer (&page);
}

CcCampaignJournalPage *
cc_campaign_client_read_journal (CcCampaignClient  *self,
                                 const char        *url,
                                 GCancellable      *cancellable,
                                 GError           **error)
{
  g_autoptr(CcHttpRequest) request = NULL;
  g_autoptr(CcHttpResponse) response = NULL;
  g_autofree char *absolute = NULL;

  g_return_val_if_fail (CC_IS_CAMPAIGN_CLIENT (self), NULL);

  if (url == NULL)
    {
      g_set_error (error, CC_ERROR, CC_ERROR_INVALID_CONFIG,
                   _("No journal URL is set for the Adobe Campaign connection"));
      return NULL;
    }

  absolute = cc_campaign_client_resolve (self, url);
  request = cc_campaign_client_new_request (self, "GET", absolute);
  /* Adobe I/O Events, not the Campaign API: not part of its allowance. */
  cc_http_request_set_limiter (request, NULL, NULL, FALSE);
  response = cc_campaign_client_send (self, request, cancellable, error);
  if (response == NULL)
    return NULL;
  return cc_campaign_client_read_journal_answer (self, absolute, response, error);
}

/* ------------------------------------------------------------------ */
/* Marketing history                                                   */

GPtrArray *
cc_campaign_client_get_history (CcCampaignClient  *self,
                                const char        *pkey,
                                GCancellable      *cancellable,
                                GError           **error)
{
  g_autoptr(CcHttpResponse) response = NULL;
  g_autoptr(JsonObject) root = NULL;
  g_autoptr(GPtrArray) events = NULL;
  g_autofree char *escaped = NULL;
  g_autofree char *path = NULL;
  g_autofree char *url = NULL;
  JsonObject *link;
  const char *href;
  guint pages = 0;

  g_return_val_if_fail (CC_IS_CAMPAIGN_CLIENT (self), NULL);
  g_return_val_if_fail (pkey != NULL, NULL);

  escaped = cc_campaign_client_escape_segment (pkey);
  path = g_strdup_printf ("profileAndServices/history/%s", escaped);
  response = cc_campaign_client_get (self, path, cancellable, error);
  if (response == NULL)
    return NULL;
  root = cc_campaign_client_dup_answer (response, CC_ERROR_NOT_FOUND, error);
  if (root == NULL)
    return NULL;

  events = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  link = cc_json_read_object (root, "events");
  href = link ? cc_json_read_string (link, "href") : NULL;
  if (href == NULL)
    return g_steal_pointer (&events);

  /* The events list pages like any other list; a generous bound keeps a
   * server that links a page to itself from holding us forever. */
  url = cc_campaign_client_resolve (self, href);
  while (url != NULL && pages++ < 10000)
    {
      g_autoptr(CcCampaignPage) page = cc_campaign_client_read_page (self, url, cancellable, error);

      if (page == NULL)
        return NULL;
      for (guint i = 0; i < page->records->len; i++)
        g_ptr_array_add (events, json_object_ref (g_ptr_array_index (page->records, i)));
      g_free (url);
      url = g_steal_pointer (&page->next_url);
    }
  return g_steal_pointer (&events);
}
