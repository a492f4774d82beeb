/* dv-delta.c — change tracking after the initial read (notes
 * §5): delta tokens, the changes since one (rows created or updated, in
 * version order, then deletions as $deletedEntity), paged like any
 * collection, with a fresh deltaLink at the end; tokens expire after the
 * retention the emulator was started with.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "dv-private.h"

static char *
delta_token_for (gint64 version)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *stamp = g_date_time_format (now, "%m/%d/%Y %H:%M:%S");

  /* "<version>!<time>", the form the real tokens decode to (notes §5). */
  return g_strdup_printf ("%" G_GINT64_FORMAT "!%s", version, stamp);
}

char *
dv_delta_link (DvServer *self,
            DvTable           *table,
            DvRequest         *req,
            gint64             version)
{
  g_autofree char *token = delta_token_for (version);
  g_autofree char *escaped = g_uri_escape_string (token, NULL, FALSE);
  const char *select = dv_request_get_query (req, "$select");
  g_autofree char *select_escaped = select ? g_uri_escape_string (select, ",", FALSE) : NULL;

  if (select_escaped != NULL)
    return g_strdup_printf ("%s/%s?$select=%s&$deltatoken=%s", self->api_root,
                            table->entity_set, select_escaped, escaped);
  return g_strdup_printf ("%s/%s?$deltatoken=%s", self->api_root, table->entity_set, escaped);
}

/* ---- change tracking ---------------------------------------------------- */

/* A client clock a little ahead of ours does not make a token invalid. */
#define CLOCK_SKEW_S 300

/* The time in "<version>!MM/dd/yyyy HH:mm:ss" (UTC), or NULL. */
static GDateTime *
token_stamp (const char *text)
{
  guint month, day, year, hour, minute, second;
  int consumed = 0;

  if (sscanf (text, "%2u/%2u/%4u %2u:%2u:%2u%n", &month, &day, &year, &hour, &minute, &second,
              &consumed) != 6 || text[consumed] != '\0')
    return NULL;
  return g_date_time_new_utc (year, month, day, hour, minute, second);
}

static void
expired (DvResponse *resp)
{
  /* INFER: the Web API's status for an expired token is not documented;
   * 400 with the documented code and message. */
  dv_response_error (resp, SOUP_STATUS_BAD_REQUEST, "0x80044352",
                     "Version stamp associated with the client has expired. Please perform a full sync.");
}

/* Parses "<version>!<time>"; answers 400 when it is unusable, and the
 * documented error when it is older than the retention (notes §5) or
 * was expired through the admin API. */
static gboolean
parse_delta_token (DvServer   *self,
                   const char *token,
                   gint64     *version,
                   DvResponse *resp)
{
  g_autoptr(GDateTime) stamp = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  char *end = NULL;
  GTimeSpan age;

  *version = g_ascii_strtoll (token, &end, 10);
  if (end == token || *end != '!' || *version < 0 || *version > self->version
      || (stamp = token_stamp (end + 1)) == NULL
      || (age = g_date_time_difference (now, stamp)) < -CLOCK_SKEW_S * G_TIME_SPAN_SECOND)
    {
      dv_response_error (resp, SOUP_STATUS_BAD_REQUEST, "0x80060888",
                         "The $deltatoken '%s' is not valid. Use the @odata.deltaLink exactly as returned.",
                         token);
      return FALSE;
    }
  if (*version < self->delta_floor
      || age > (GTimeSpan) self->options.change_retention_days * G_TIME_SPAN_DAY)
    {
      expired (resp);
      return FALSE;
    }
  return TRUE;
}

/* The first row whose version is above @after, or NULL. */
static GList *
first_change_after (DvTable *table,
                    gint64   after)
{
  GList *l, *first = NULL;

  for (l = table->by_version.tail; l != NULL && ((DvRow *) l->data)->version > after; l = l->prev)
    first = l;
  return first;
}

static gboolean
tombstone_reportable (DvTable     *table,
                      DvTombstone *tomb)
{
  DvRow *row = g_hash_table_lookup (table->rows, tomb->id);

  /* Deleted and created again since: the row is reported as changed. */
  return row == NULL || row->version < tomb->version;
}

typedef struct
{
  guint  changed;
  guint  deleted;
} DeltaCount;

static void
count_delta (DvTable    *table,
             gint64      from,
             gint64      to,
             DeltaCount *count)
{
  for (GList *l = first_change_after (table, from); l != NULL; l = l->next)
    if (((DvRow *) l->data)->version <= to)
      count->changed++;
  for (guint i = 0; i < table->tombstones->len; i++)
    {
      DvTombstone *tomb = &g_array_index (table->tombstones, DvTombstone, i);

      if (tomb->version > from && tomb->version <= to && tombstone_reportable (table, tomb))
        count->deleted++;
    }
}

/* One page of a delta read being filled. */
typedef struct
{
  JsonArray *value;
  guint      n;
  guint      page_size;
  gint64     last_version;   /* of the last entry on the page */
  gboolean   more;           /* the page is full and more is waiting */
} DeltaPage;

/* Whether another entry fits on @page; marks it full when not. */
static gboolean
has_room (DeltaPage *page)
{
  if (page->n < page->page_size)
    return TRUE;
  page->more = TRUE;
  return FALSE;
}

/* Rows created or updated after version @after, up to @upto, in version
 * order. */
static void
add_changes (DvServer   *self,
             DvRequest  *req,
             DvTable    *table,
             DvQuery    *q,
             gint64      after,
             gint64      upto,
             DeltaPage  *page)
{
  for (GList *l = first_change_after (table, after); l != NULL; l = l->next)
    {
      DvRow *row = l->data;

      if (row->version > upto || !has_room (page))
        break;
      json_array_add_object_element (page->value,
                                     dv_row_to_json (table, row, q->select, &req->prefer, NULL));
      page->last_version = row->version;
      page->n++;
    }
}

/* Rows deleted after version @after, up to @upto, as $deletedEntity. */
static void
add_deletions (DvServer   *self,
               DvTable    *table,
               gint64      after,
               gint64      upto,
               DeltaPage  *page)
{
  g_autofree char *deleted_context = g_strdup_printf ("%s/$metadata#%s/$deletedEntity",
                                                      self->api_root, table->entity_set);

  for (guint i = 0; i < table->tombstones->len; i++)
    {
      DvTombstone *tomb = &g_array_index (table->tombstones, DvTombstone, i);
      JsonObject *entry;

      if (tomb->version <= after || !tombstone_reportable (table, tomb))
        continue;
      if (tomb->version > upto || !has_room (page))
        break;
      entry = json_object_new ();
      json_object_set_string_member (entry, "@odata.context", deleted_context);
      json_object_set_string_member (entry, "id", tomb->id);
      json_object_set_string_member (entry, "reason", "deleted");
      json_array_add_object_element (page->value, entry);
      page->last_version = tomb->version;
      page->n++;
    }
}

/* The nextLink that carries on from @page in @phase, in the same
 * snapshot (@upto). */
static char *
next_page_link (DvServer        *self,
                DvRequest       *req,
                DvQuery         *q,
                gint64           upto,
                gint64           phase,
                const DeltaPage *page)
{
  DvPagingState next = { 0, };
  g_autofree char *cookie = NULL;

  next.page = q->has_state ? q->state.page + 1 : 2;
  next.delta = TRUE;
  next.snapshot = upto;
  next.phase = phase;
  next.after_version = page->last_version;
  cookie = dv_paging_encode (&next);
  return dv_link_with (self, req, "$skiptoken", cookie);
}

void
dv_serve_delta (DvServer   *self,
                DvRequest  *req,
                DvResponse *resp,
                DvTable    *table,
                DvQuery    *q,
                guint       page_size)
{
  g_autoptr(JsonObject) out = json_object_new ();
  g_autoptr(JsonArray) value = json_array_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *context = NULL;
  DeltaPage page = { value, 0, page_size, 0, FALSE };
  gint64 from, upto, after;
  gint64 phase = 0;

  if (!parse_delta_token (self, q->deltatoken, &from, resp))
    return;
  upto = q->has_state ? q->state.snapshot : self->version;
  after = q->has_state ? MAX (q->state.after_version, from) : from;
  if (q->has_state)
    phase = q->state.phase;

  /* Creates and updates first, in version order, then deletions (notes §5). */
  if (phase == 0)
    {
      add_changes (self, req, table, q, after, upto, &page);
      if (!page.more)
        {
          phase = 1;
          after = from;
        }
    }
  if (phase == 1 && !page.more)
    add_deletions (self, table, after, upto, &page);

  context = dv_context_url (self, table, q->select, NULL, "/$delta");
  json_object_set_string_member (out, "@odata.context", context);
  json_object_set_array_member (out, "value", json_array_ref (value));
  if (page.more)
    {
      g_autofree char *link = next_page_link (self, req, q, upto, phase, &page);

      json_object_set_string_member (out, "@odata.nextLink", link);
    }
  else
    {
      g_autofree char *link = dv_delta_link (self, table, req, upto);

      json_object_set_string_member (out, "@odata.deltaLink", link);
    }

  root = json_node_init_object (json_node_alloc (), out);
  dv_response_set_json (resp, SOUP_STATUS_OK, root, TRUE);
  dv_add_preferences (req, resp, TRUE);
}

gboolean
dv_count_changes (DvServer *self,
                  DvTable           *table,
                  const char        *token,
                  guint64           *n,
                  DvResponse        *resp)
{
  DeltaCount count = { 0, 0 };
  gint64 from;

  if (!parse_delta_token (self, token, &from, resp))
    return FALSE;
  count_delta (table, from, self->version, &count);
  *n = count.changed + count.deleted;
  return TRUE;
}
