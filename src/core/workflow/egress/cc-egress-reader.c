/* cc-egress-reader.c — egress reader: Campaign's email events into the
 * queue.
 *
 * From the I/O Events journal: one page at a time from the stored
 * position; the page's events and the next page's URL are committed in
 * one cc_store_enqueue, so a crash neither loses a page nor queues it
 * twice. From the marketing history (the slow fallback): every profile's
 * history in turn, each profile's newest queued event kept as its own
 * cursor, committed with that profile's events.
 *
 * Events are queued under their Campaign event id with canonical member
 * names (see cc_egress_field_to_string), whatever the payload calls them,
 * so a queued event survives a change of "event-fields".
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "cc-egress-private.h"
#include "cc-error.h"
#include "cc-json-read.h"

/* The reader pauses while this much is waiting to be written: the queue
 * is durable, but a journal of millions need not be copied into it
 * ahead of the writers. */
#define MAX_BACKLOG 50000

/* Profiles read per page while walking the marketing history. */
#define WALK_PAGE_SIZE 100

/* The Campaign resource whose records carry the marketing history. */
#define HISTORY_RESOURCE "profileAndServices/profile"

typedef struct
{
  CcEgress         *egress;
  CcStore          *store;
  CcCampaignClient *client;
  const char       *workflow;
  GDateTime        *skip_before;   /* replay since a time; NULL = none */
} Reader;

/* ------------------------------------------------------------------ */
/* Events into queue items                                             */

/* The member at @path ("a.b" descends into objects), or NULL. */
static JsonNode *
lookup (JsonObject *event,
        const char *path)
{
  g_auto(GStrv) parts = g_strsplit (path, ".", -1);
  JsonNode *node = NULL;

  for (guint i = 0; parts[i] != NULL; i++)
    {
      if (event == NULL)
        return NULL;
      node = json_object_get_member (event, parts[i]);
      if (node == NULL)
        return NULL;
      event = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
    }
  return node;
}

/* A scalar as text (ids are sometimes numbers); NULL for null, absent,
 * empty or a container. */
static char *
scalar_text (JsonNode *node)
{
  GType type;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return NULL;
  type = json_node_get_value_type (node);
  if (type == G_TYPE_STRING)
    {
      const char *text = json_node_get_string (node);

      return *text != '\0' ? g_strdup (text) : NULL;
    }
  if (type == G_TYPE_INT64)
    return g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (node));
  if (type == G_TYPE_DOUBLE)
    {
      char buffer[G_ASCII_DTOSTR_BUF_SIZE];

      return g_strdup (g_ascii_dtostr (buffer, sizeof buffer, json_node_get_double (node)));
    }
  if (type == G_TYPE_BOOLEAN)
    return g_strdup (json_node_get_boolean (node) ? "true" : "false");
  return NULL;
}

/* Campaign writes times both as ISO-8601 and as "2019-09-25 23:20:35.000Z". */
static GDateTime *
parse_time (const char *text)
{
  g_autofree char *iso = NULL;
  g_autoptr(GTimeZone) utc = g_time_zone_new_utc ();

  if (text == NULL || *text == '\0')
    return NULL;
  iso = g_strdup (text);
  if (iso[0] != '\0' && strlen (iso) > 10 && iso[10] == ' ')
    iso[10] = 'T';
  return g_date_time_new_from_iso8601 (iso, utc);
}

static gboolean
is_before_skip (Reader     *reader,
                const char *time)
{
  g_autoptr(GDateTime) when = NULL;

  if (reader->skip_before == NULL)
    return FALSE;
  when = parse_time (time);
  return when != NULL && g_date_time_compare (when, reader->skip_before) < 0;
}

static CcQueueItem *
new_item (CcEgressEventType  type,
          const char        *id,
          JsonObject        *event)
{
  g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (), event);
  g_autofree char *payload = json_to_string (node, FALSE);

  return cc_queue_item_new (cc_egress_event_type_to_string (type), id,
                            CC_QUEUE_OP_UPSERT, payload, 0);
}

/* A journal event as a queue item, or NULL when it is not one of the
 * enabled email events. An event without an id is keyed by its journal
 * position (stable, unique), so it too is written once. */
static CcQueueItem *
map_journal_event (Reader     *reader,
                   JsonObject *event,
                   const char *position)
{
  const CcEgressConfig *config = reader->egress->config;
  g_autofree char *type_word = scalar_text (lookup (event, config->fields[CC_EGRESS_FIELD_TYPE]));
  g_autofree char *id = scalar_text (lookup (event, config->fields[CC_EGRESS_FIELD_ID]));
  g_autofree char *time = scalar_text (lookup (event, config->fields[CC_EGRESS_FIELD_TIME]));
  g_autoptr(JsonObject) item = NULL;
  CcEgressEventType type;

  if (!cc_egress_event_type_parse (type_word, &type))
    {
      g_debug ("egress: passing over a journal event of type “%s”", type_word ? type_word : "");
      return NULL;
    }
  if (reader->egress->plans[type] == NULL || is_before_skip (reader, time))
    return NULL;
  if (id == NULL)
    id = g_strconcat ("position:", position, NULL);

  item = json_object_new ();
  for (guint i = 0; i < CC_EGRESS_N_FIELDS; i++)
    {
      g_autofree char *value = NULL;

      if (i == CC_EGRESS_FIELD_ID || i == CC_EGRESS_FIELD_TYPE)
        continue;
      value = scalar_text (lookup (event, config->fields[i]));
      if (value != NULL)
        json_object_set_string_member (item, cc_egress_field_to_string (i), value);
    }
  return new_item (type, id, item);
}

/* ------------------------------------------------------------------ */
/* Replays                                                             */

static gboolean
load_skip_before (Reader  *reader,
                  GError **error)
{
  g_autofree char *since = NULL;

  g_clear_pointer (&reader->skip_before, g_date_time_unref);
  since = cc_store_get_cursor (reader->store, reader->workflow, CC_EGRESS_CURSOR_SKIP_BEFORE, error);
  if (since == NULL)
    return error == NULL || *error == NULL;
  reader->skip_before = parse_time (since);
  return TRUE;
}

/* A replay asked for by cc_workflow_replay: read from the beginning
 * again (upserts make re-written events harmless), passing over events
 * older than its time. */
static gboolean
take_replay (Reader  *reader,
             GError **error)
{
  g_autofree char *since = NULL;
  const char *skip;

  since = cc_store_get_cursor (reader->store, reader->workflow, CC_EGRESS_CURSOR_REPLAY, error);
  if (since == NULL)
    return error == NULL || *error == NULL;

  skip = g_str_equal (since, "all") ? NULL : since;
  g_debug ("egress: replaying since %s", since);
  if (!cc_store_set_cursor (reader->store, reader->workflow, CC_EGRESS_CURSOR_SKIP_BEFORE, skip, error)
      || !cc_store_set_cursor (reader->store, reader->workflow, CC_EGRESS_CURSOR_JOURNAL, NULL, error)
      || !cc_store_set_cursor (reader->store, reader->workflow, CC_EGRESS_CURSOR_WALK, NULL, error)
      || !cc_store_clear_cursors (reader->store, reader->workflow, CC_EGRESS_CURSOR_HISTORY, error)
      || !cc_store_set_cursor (reader->store, reader->workflow, CC_EGRESS_CURSOR_REPLAY, NULL, error))
    return FALSE;
  return load_skip_before (reader, error);
}

/* Caught up: a replay's time filter has done its job. */
static gboolean
caught_up (Reader  *reader,
           GError **error)
{
  if (reader->skip_before == NULL)
    return TRUE;
  g_clear_pointer (&reader->skip_before, g_date_time_unref);
  return cc_store_set_cursor (reader->store, reader->workflow, CC_EGRESS_CURSOR_SKIP_BEFORE,
                              NULL, error);
}

/* ------------------------------------------------------------------ */
/* The journal                                                         */

/* The stored next-page URL, with the page size of the configuration: a
 * changed "journal-limit" must not wait for the journal to be read
 * afresh. The position ("since") is kept as the journal wrote it. */
static char *
resume_url (Reader     *reader,
            const char *stored)
{
  g_autoptr(GUri) uri = g_uri_parse (stored, G_URI_FLAGS_ENCODED_QUERY, NULL);
  g_autoptr(GHashTable) params = NULL;
  const char *limit;
  const char *since;

  if (uri == NULL || g_uri_get_query (uri) == NULL)
    return g_strdup (stored);
  params = g_uri_parse_params (g_uri_get_query (uri), -1, "&", G_URI_PARAMS_NONE, NULL);
  limit = params ? g_hash_table_lookup (params, "limit") : NULL;
  since = params ? g_hash_table_lookup (params, "since") : NULL;
  if (limit == NULL || since == NULL
      || g_ascii_strtoull (limit, NULL, 10) == reader->egress->config->journal_limit)
    return g_strdup (stored);
  return cc_campaign_client_build_journal_url (reader->client, since,
                                               reader->egress->config->journal_limit);
}

static gboolean
read_journal_page (Reader    *reader,
                   gboolean  *idle,
                   GError   **error)
{
  CcRun *run = reader->egress->run;
  g_autofree char *cursor = NULL;
  g_autofree char *url = NULL;
  g_autoptr(CcCampaignJournalPage) page = NULL;
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func ((GDestroyNotify) cc_queue_item_free);
  g_autoptr(GError) local = NULL;
  gboolean resumed;

  *idle = FALSE;
  cursor = cc_store_get_cursor (reader->store, reader->workflow, CC_EGRESS_CURSOR_JOURNAL, error);
  if (cursor == NULL && error != NULL && *error != NULL)
    return FALSE;
  resumed = cursor != NULL;
  url = cursor ? resume_url (reader, cursor)
               : cc_campaign_client_build_journal_url (reader->client, NULL,
                                                       reader->egress->config->journal_limit);

  page = cc_campaign_client_read_journal (reader->client, url, cc_run_get_cancellable (run),
                                          &local);
  if (page == NULL && g_error_matches (local, CC_ERROR, CC_ERROR_EXPIRED_CURSOR) && resumed)
    {
      /* The position is past the journal's retention (or from another
       * journal): start again from its oldest event. Events already
       * written are upserted again, not duplicated. */
      g_autofree char *message = g_strdup_printf (_("The journal no longer knows the stored "
                                                    "position (%s); reading again from its "
                                                    "oldest event"), local->message);

      cc_store_add_history (reader->store, reader->workflow, "resync", message, 0, 0, NULL);
      return cc_store_set_cursor (reader->store, reader->workflow, CC_EGRESS_CURSOR_JOURNAL,
                                  NULL, error);
    }
  if (page == NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local));
      return FALSE;
    }

  for (guint i = 0; i < page->events->len; i++)
    {
      CcCampaignJournalEvent *event = g_ptr_array_index (page->events, i);
      CcQueueItem *item = map_journal_event (reader, event->event, event->position);

      if (item != NULL)
        g_ptr_array_add (items, item);
    }

  if (!cc_store_enqueue (reader->store, reader->workflow, items, CC_EGRESS_CURSOR_JOURNAL,
                         page->next_url, error))
    return FALSE;
  if (page->events->len == 0)
    {
      *idle = TRUE;
      return caught_up (reader, error);
    }
  return TRUE;
}

/* ------------------------------------------------------------------ */
/* The marketing history                                               */

/* A profile's cursor: "<date of the newest queued event> <PKey>,<PKey>…"
 * with the PKeys of the events at that date, so that events sharing
 * the newest date are neither lost nor queued twice. */
typedef struct
{
  char       *date;
  GPtrArray  *pkeys;
} Watermark;

static void
watermark_clear (Watermark *mark)
{
  g_clear_pointer (&mark->date, g_free);
  g_clear_pointer (&mark->pkeys, g_ptr_array_unref);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Watermark, watermark_clear)

static void
watermark_parse (Watermark  *mark,
                 const char *text)
{
  g_auto(GStrv) parts = text ? g_strsplit (text, " ", 2) : NULL;

  mark->pkeys = g_ptr_array_new_with_free_func (g_free);
  if (parts == NULL || parts[0] == NULL)
    return;
  mark->date = g_strdup (parts[0]);
  if (parts[1] != NULL)
    {
      g_auto(GStrv) keys = g_strsplit (parts[1], ",", -1);

      for (guint i = 0; keys[i] != NULL; i++)
        if (*keys[i] != '\0')
          g_ptr_array_add (mark->pkeys, g_strdup (keys[i]));
    }
}

static char *
watermark_format (Watermark *mark)
{
  GString *text;

  if (mark->date == NULL)
    return NULL;
  text = g_string_new (mark->date);
  g_string_append_c (text, ' ');
  for (guint i = 0; i < mark->pkeys->len; i++)
    {
      if (i > 0)
        g_string_append_c (text, ',');
      g_string_append (text, g_ptr_array_index (mark->pkeys, i));
    }
  return g_string_free (text, FALSE);
}

static gboolean
contains_string (GPtrArray  *strings,
                 const char *needle)
{
  for (guint i = 0; i < strings->len; i++)
    if (g_str_equal (g_ptr_array_index (strings, i), needle))
      return TRUE;
  return FALSE;
}

/* The history's dates share one format, so they sort as text; they are
 * kept normalised to ISO-8601 here so that either format compares. */
static char *
history_date (JsonObject *entry)
{
  const char *date = cc_json_read_string (entry, "date");
  g_autoptr(GDateTime) when = parse_time (date);

  return when ? g_date_time_format (when, "%Y-%m-%dT%H:%M:%S.%fZ") : NULL;
}

/* A history entry as a queued event. Adobe documents an entry as PKey,
 * category, date, href, label, mirrorPage and type: one message sent to
 * the profile. Nothing in it says whether the message was opened, clicked
 * or bounced, so every email entry is a send; other channels and inbound
 * entries are passed over. */
static CcQueueItem *
map_history_event (Reader     *reader,
                   const char *contact,
                   JsonObject *entry,
                   const char *pkey,
                   const char *date)
{
  /* Absent, they mean an email sent. */
  const char *category = json_object_has_member (entry, "category")
                         ? cc_json_read_string (entry, "category") : "email";
  const char *direction = json_object_has_member (entry, "type")
                          ? cc_json_read_string (entry, "type") : "outbound";
  const char *label = cc_json_read_string (entry, "label");
  JsonNode *mirror = lookup (entry, "mirrorPage.href");
  g_autofree char *mirror_url = scalar_text (mirror);
  g_autoptr(JsonObject) item = NULL;

  if (g_strcmp0 (category, "email") != 0 || g_strcmp0 (direction, "outbound") != 0)
    return NULL;
  if (reader->egress->plans[CC_EGRESS_EVENT_SEND] == NULL || is_before_skip (reader, date))
    return NULL;

  item = json_object_new ();
  json_object_set_string_member (item, cc_egress_field_to_string (CC_EGRESS_FIELD_CONTACT), contact);
  json_object_set_string_member (item, cc_egress_field_to_string (CC_EGRESS_FIELD_TIME), date);
  if (label != NULL && *label != '\0')
    json_object_set_string_member (item, cc_egress_field_to_string (CC_EGRESS_FIELD_DELIVERY_NAME),
                                   label);
  if (mirror_url != NULL)
    json_object_set_string_member (item, cc_egress_field_to_string (CC_EGRESS_FIELD_MIRROR_PAGE),
                                   mirror_url);
  return new_item (CC_EGRESS_EVENT_SEND, pkey, item);
}

static gboolean
read_profile_history (Reader      *reader,
                      const char  *contact,
                      const char  *profile_pkey,
                      GError     **error)
{
  GCancellable *cancellable = cc_run_get_cancellable (reader->egress->run);
  g_autofree char *cursor_name = g_strconcat (CC_EGRESS_CURSOR_HISTORY, contact, NULL);
  g_autofree char *cursor = NULL;
  g_autofree char *next = NULL;
  g_autoptr(GPtrArray) events = NULL;
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func ((GDestroyNotify) cc_queue_item_free);
  g_autoptr(GError) local = NULL;
  g_auto(Watermark) mark = { NULL, NULL };
  g_auto(Watermark) newest = { NULL, NULL };

  events = cc_campaign_client_get_history (reader->client, profile_pkey, cancellable, &local);
  if (events == NULL && g_error_matches (local, CC_ERROR, CC_ERROR_NOT_FOUND))
    return TRUE;   /* deleted meanwhile */
  if (events == NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local));
      return FALSE;
    }

  cursor = cc_store_get_cursor (reader->store, reader->workflow, cursor_name, error);
  if (cursor == NULL && error != NULL && *error != NULL)
    return FALSE;
  watermark_parse (&mark, cursor);
  watermark_parse (&newest, cursor);

  for (guint i = 0; i < events->len; i++)
    {
      JsonObject *entry = g_ptr_array_index (events, i);
      const char *pkey = cc_json_read_string (entry, "PKey");
      g_autofree char *date = history_date (entry);
      CcQueueItem *item;
      int order;

      if (pkey == NULL || date == NULL)
        continue;
      order = mark.date ? strcmp (date, mark.date) : 1;
      if (order < 0 || (order == 0 && contains_string (mark.pkeys, pkey)))
        continue;

      item = map_history_event (reader, contact, entry, pkey, date);
      if (item != NULL)
        g_ptr_array_add (items, item);

      order = newest.date ? strcmp (date, newest.date) : 1;
      if (order > 0)
        {
          g_free (newest.date);
          newest.date = g_strdup (date);
          g_ptr_array_set_size (newest.pkeys, 0);
        }
      if (order >= 0 && !contains_string (newest.pkeys, pkey))
        g_ptr_array_add (newest.pkeys, g_strdup (pkey));
    }

  next = watermark_format (&newest);
  if (g_strcmp0 (next, cursor) == 0)
    return TRUE;
  return cc_store_enqueue (reader->store, reader->workflow, items, cursor_name, next, error);
}

static gboolean
walk_history_page (Reader    *reader,
                   gboolean  *idle,
                   GError   **error)
{
  GCancellable *cancellable = cc_run_get_cancellable (reader->egress->run);
  g_autofree char *cursor = NULL;
  g_autofree char *url = NULL;
  g_autoptr(CcCampaignPage) page = NULL;

  *idle = FALSE;
  cursor = cc_store_get_cursor (reader->store, reader->workflow, CC_EGRESS_CURSOR_WALK, error);
  if (cursor == NULL && error != NULL && *error != NULL)
    return FALSE;
  url = cursor ? g_steal_pointer (&cursor)
               : cc_campaign_client_build_list_url (reader->client, HISTORY_RESOURCE, NULL, NULL,
                                                    NULL, WALK_PAGE_SIZE);

  page = cc_campaign_client_read_page (reader->client, url, cancellable, error);
  if (page == NULL)
    return FALSE;

  for (guint i = 0; i < page->records->len && !cc_run_is_cancelled (reader->egress->run); i++)
    {
      JsonObject *profile = g_ptr_array_index (page->records, i);
      const char *contact = cc_json_read_string (profile, "externalId");
      const char *pkey = cc_json_read_string (profile, "PKey");

      /* A profile that did not come from Dynamics 365 has no contact to
       * link its events to. */
      if (contact == NULL || *contact == '\0' || pkey == NULL)
        continue;
      if (!read_profile_history (reader, contact, pkey, error))
        return FALSE;
    }
  if (cc_run_is_cancelled (reader->egress->run))
    return TRUE;

  if (!cc_store_set_cursor (reader->store, reader->workflow, CC_EGRESS_CURSOR_WALK,
                            page->next_url, error))
    return FALSE;
  if (page->next_url == NULL)
    {
      *idle = TRUE;
      return caught_up (reader, error);
    }
  return TRUE;
}

/* ------------------------------------------------------------------ */
/* The loop                                                            */

/* One step: unless the writers are far behind, takes up a pending replay
 * and reads a page of the journal or of the history walk. */
static gboolean
read_step (gpointer   data,
           gboolean  *idle,
           GError   **error)
{
  Reader *reader = data;
  g_autoptr(GError) local = NULL;
  guint64 backlog = cc_store_count_backlog (reader->store, reader->workflow, &local);

  if (local == NULL && backlog >= MAX_BACKLOG)
    {
      cc_run_sleep (reader->egress->run, 200);
      return TRUE;
    }
  if (local == NULL && take_replay (reader, &local))
    {
      if (reader->egress->config->source == CC_EGRESS_SOURCE_JOURNAL)
        read_journal_page (reader, idle, &local);
      else
        walk_history_page (reader, idle, &local);
    }
  if (local != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local));
      return FALSE;
    }
  return TRUE;
}

gboolean
cc_egress_read_loop (CcEgress  *self,
                     GError   **error)
{
  CcRun *run = self->run;
  g_autoptr(CcStore) store = NULL;
  g_autoptr(CcCampaignClient) client = NULL;
  Reader reader = { self, NULL, NULL, cc_run_get_workflow_id (run), NULL };
  gboolean ok;

  store = cc_run_open_store (run, error);
  if (store == NULL)
    return FALSE;
  client = cc_run_new_campaign_client (run, 2, error);
  if (client == NULL)
    return FALSE;
  reader.store = store;
  reader.client = client;
  if (!load_skip_before (&reader, error))
    return FALSE;

  ok = cc_run_poll (run, "egress reader", read_step, &reader,
                    self->config->poll_interval_s * 1000, error);
  g_clear_pointer (&reader.skip_before, g_date_time_unref);
  return ok;
}
