/* cc-ingress-reader.c — the ingress reader thread.
 *
 * The reader pulls each mapped table with Dataverse change tracking: a
 * first full read (paged by nextLink), then the deltaLink, polled. Every
 * page's mapped records go into the queue together with the new read
 * position, in one transaction: a crash can neither lose a page nor queue
 * it twice. Tables without change tracking are polled by modifiedon and
 * swept now and then for deletes, by the reader the workflows share
 * (cc-poll-reader.h). The writers (cc-ingress-writer.c) drain the queue
 * into Campaign.
 *
 * A read position of a table with change tracking is stored as
 * "<phase> <url>": phase "initial" (the first full read: every field is
 * written), "resync" (a full read after the delta token expired, or after
 * change tracking was switched on: afterwards, records no longer in
 * Dynamics are deleted from Campaign) or "delta" (changes). A table
 * without change tracking has the positions of cc-poll-reader.h.
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "cc-error.h"
#include "cc-ingress-private.h"
#include "cc-mapper.h"

#define PHASE_INITIAL "initial"
#define PHASE_RESYNC  "resync"
#define PHASE_DELTA   "delta"
#define PHASE_REPLAY  "page"

typedef struct
{
  CcIngress         *ingress;
  CcStore           *store;
  CcDataverseClient *client;
} Reader;

static CcDataverseReadFlags
read_flags (const CcIngressPlan *plan,
            gboolean             tracking)
{
  CcDataverseReadFlags flags = CC_DATAVERSE_READ_NONE;

  if (tracking)
    flags |= CC_DATAVERSE_READ_TRACK_CHANGES;
  if (plan->mapping->display_values)
    flags |= CC_DATAVERSE_READ_FORMATTED_VALUES;
  return flags;
}

/* Maps a page's rows into queue items. Filtered-out rows become deletes
 * when the mapping asks for it; rows that cannot be mapped go straight to
 * the error log as rejected items (so they are visible and retryable).
 * For a backfill neither: the change feed does both. */
static void
map_rows (const CcIngressPlan  *plan,
          GPtrArray            *rows,
          guint                 flags,
          GPtrArray            *items)
{
  const CcTableMapping *mapping = plan->mapping;
  gboolean backfill = (flags & CC_QUEUE_FLAG_BACKFILL) != 0;

  for (guint i = 0; i < rows->len; i++)
    {
      CcJsonRow *row = g_ptr_array_index (rows, i);
      const char *id = cc_json_row_get_string (row, plan->primary_key);
      g_autoptr(CcMappedRecord) record = NULL;
      g_autoptr(GError) error = NULL;
      g_autofree char *payload = NULL;
      CcMapVerdict verdict;

      if (id == NULL)
        continue;

      verdict = cc_mapper_apply (mapping, id, row, &record, &error);
      if (backfill && (error != NULL || verdict == CC_MAP_FILTERED_OUT))
        continue;
      if (error != NULL)
        {
          /* Queued as-is; the writer cannot send it and logs the reason. */
          g_autoptr(JsonObject) bad = json_object_new ();
          g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (), bad);

          json_object_set_string_member (bad, CC_INGRESS_ERROR_MEMBER, error->message);
          payload = json_to_string (node, FALSE);
          g_ptr_array_add (items, cc_queue_item_new (mapping->id, id, CC_QUEUE_OP_UPSERT,
                                                     payload, flags));
          continue;
        }
      if (verdict == CC_MAP_FILTERED_OUT)
        {
          if (mapping->delete_filtered_out)
            g_ptr_array_add (items, cc_queue_item_new (mapping->id, id, CC_QUEUE_OP_DELETE,
                                                       "{}", 0));
          continue;
        }

      if (mapping->parent_mapping != NULL && mapping->parent_field != NULL)
        {
          const char *parent = cc_json_row_get_string (row, mapping->parent_field);
          if (parent != NULL)
            cc_mapped_record_set_string (record, CC_INGRESS_PARENT_MEMBER, parent);
        }
      payload = cc_mapped_record_to_json (record);
      g_ptr_array_add (items, cc_queue_item_new (mapping->id, id, CC_QUEUE_OP_UPSERT,
                                                 payload, flags));
    }
}

static void
map_deletes (const CcIngressPlan *plan,
             GPtrArray           *ids,
             GPtrArray           *items)
{
  if (!plan->mapping->apply_deletes)
    return;
  for (guint i = 0; i < ids->len; i++)
    g_ptr_array_add (items, cc_queue_item_new (plan->mapping->id, g_ptr_array_index (ids, i),
                                               CC_QUEUE_OP_DELETE, "{}", 0));
}

static char *
initial_url (Reader              *reader,
             const CcIngressPlan *plan,
             const char          *filter)
{
  return cc_dataverse_client_build_query_url (reader->client, plan->entity_set,
                                              (const char * const *) plan->columns, filter);
}

/* Keeps of a backfill's @items those whose record is in Campaign (the
 * identity map knows it) or on its way there (queued: the backfill's item
 * becomes one with it, or follows it). Any other is not in Campaign yet:
 * the change feed creates it with every field when it reads it, and a
 * backfill of it would only cost calls. */
static gboolean
keep_written (Reader               *reader,
              const CcIngressPlan  *plan,
              GPtrArray            *items,
              GError              **error)
{
  const char *workflow = cc_run_get_workflow_id (reader->ingress->run);

  for (guint i = items->len; i > 0; i--)
    {
      CcQueueItem *item = g_ptr_array_index (items, i - 1);
      g_autoptr(GError) local = NULL;
      g_autofree char *pkey = cc_store_map_get (reader->store, plan->identity_space, item->key,
                                                &local);
      gboolean queued = FALSE;

      if (pkey == NULL && local == NULL)
        cc_store_has_queued (reader->store, workflow, plan->mapping->id, item->key, 0, &queued,
                             &local);
      if (local != NULL)
        {
          g_propagate_error (error, g_steal_pointer (&local));
          return FALSE;
        }
      if (pkey == NULL && !queued)
        g_ptr_array_remove_index (items, i - 1);
    }
  return TRUE;
}

/* Reads one page of a second read of a whole table beside the change feed
 * (a replay, a backfill): the page at @url (NULL: the first, with
 * @filter), queued with @flags, and saved with it as @cursor_name the
 * position @next_position makes of the next page's link (NULL after the
 * last page). */
static gboolean
read_whole_table_page (Reader               *reader,
                       const CcIngressPlan  *plan,
                       const char           *url,
                       const char           *filter,
                       guint                 flags,
                       const char           *cursor_name,
                       char               *(*next_position) (const char *next_link,
                                                             gpointer    data),
                       gpointer              data,
                       GError              **error)
{
  GCancellable *cancellable = cc_run_get_cancellable (reader->ingress->run);
  const char *workflow = cc_run_get_workflow_id (reader->ingress->run);
  g_autofree char *first = url == NULL ? initial_url (reader, plan, filter) : NULL;
  g_autofree char *next = NULL;
  g_autoptr(CcDataversePage) page = NULL;
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func ((GDestroyNotify) cc_queue_item_free);

  page = cc_dataverse_client_read_page (reader->client, url != NULL ? url : first,
                                        read_flags (plan, FALSE),
                                        reader->ingress->config->page_size, cancellable, error);
  if (page == NULL)
    return FALSE;
  map_rows (plan, page->rows, flags, items);
  if ((flags & CC_QUEUE_FLAG_BACKFILL) && !keep_written (reader, plan, items, error))
    return FALSE;
  next = next_position (page->next_link, data);
  return cc_store_enqueue (reader->store, workflow, items, cursor_name, next, error);
}

/* After the last page, none: the replay is over. */
static char *
next_replay_position (const char *next_link,
                      gpointer    since)
{
  if (next_link == NULL)
    return NULL;
  return g_strdup_printf ("%s %s %s", PHASE_REPLAY, (const char *) since, next_link);
}

/* Reads one page of a pending replay, if any: every field of every
 * record again (of those changed since a time). Returns whether it did. */
static gboolean
read_replay_page (Reader               *reader,
                  const CcIngressPlan  *plan,
                  GError              **error)
{
  const char *workflow = cc_run_get_workflow_id (reader->ingress->run);
  g_autofree char *cursor = NULL;
  g_autofree char *filter = NULL;
  g_auto(GStrv) parts = NULL;
  const char *since;
  const char *url = NULL;

  cursor = cc_store_get_cursor (reader->store, workflow, plan->replay_name, error);
  if (cursor == NULL)
    return FALSE;

  /* "<since>" to begin, "page <since> <url>" while paging. */
  parts = g_strsplit (cursor, " ", 3);
  if (g_str_equal (parts[0], PHASE_REPLAY) && parts[1] && parts[2])
    {
      since = parts[1];
      url = parts[2];
    }
  else
    {
      since = parts[0];
      if (!g_str_equal (since, "all"))
        filter = g_strdup_printf ("modifiedon ge %s", since);
    }
  return read_whole_table_page (reader, plan, url, filter, CC_QUEUE_FLAG_FULL,
                                plan->replay_name, next_replay_position, (gpointer) since, error);
}

/* After the last page, the backfill waits for its records to be written
 * (cc-ingress-schema.c). */
static char *
next_backfill_position (const char *next_link,
                        gpointer    data)
{
  CcIngressBackfill *backfill = data;

  g_free (backfill->url);
  backfill->url = g_strdup (next_link);
  backfill->read = next_link == NULL;
  return cc_ingress_backfill_to_string (backfill);
}

/* Reads one page of a backfill under way, if any (cc-ingress-schema.c):
 * the records already in Campaign, to be written with their new fields.
 * Returns whether it did. */
static gboolean
read_backfill_page (Reader               *reader,
                    const CcIngressPlan  *plan,
                    GError              **error)
{
  const char *workflow = cc_run_get_workflow_id (reader->ingress->run);
  g_autofree char *cursor = NULL;
  g_autofree char *url = NULL;
  g_autofree char *names = NULL;
  g_autofree char *message = NULL;
  g_auto(CcIngressBackfill) backfill = { 0 };

  cursor = cc_store_get_cursor (reader->store, workflow, plan->backfill_name, error);
  if (!cc_ingress_backfill_parse (cursor, &backfill) || backfill.read)
    return FALSE;
  url = g_strdup (backfill.url);
  if (!read_whole_table_page (reader, plan, url, NULL, CC_QUEUE_FLAG_BACKFILL,
                              plan->backfill_name, next_backfill_position, &backfill, error))
    return FALSE;
  if (!backfill.read)
    return TRUE;

  names = g_strjoinv (", ", backfill.fields);
  /* Translators: %s is the mapping's id, then the Campaign fields */
  message = g_strdup_printf (_("Mapping “%s”: every record already in Campaign is queued with "
                               "its new fields (%s)."),
                             plan->mapping->id, names);
  cc_store_add_history (reader->store, workflow, "backfill", message, 0, 0, NULL);
  return TRUE;
}

/* Where the read of a table with change tracking stands, from its
 * cursor. */
typedef struct
{
  char *phase;       /* PHASE_INITIAL, _RESYNC or _DELTA */
  char *url;         /* the page to read */
} Position;

static void
position_clear (Position *position)
{
  g_clear_pointer (&position->phase, g_free);
  g_clear_pointer (&position->url, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Position, position_clear)

/* The stored position of @plan's table, or the start of a first read.
 * *polled when the stored position is a poll's: the table had no change
 * tracking before. */
static gboolean
load_position (Reader               *reader,
               const CcIngressPlan  *plan,
               Position             *position,
               gboolean             *polled,
               GError              **error)
{
  const char *workflow = cc_run_get_workflow_id (reader->ingress->run);
  g_autofree char *cursor = cc_store_get_cursor (reader->store, workflow, plan->cursor_name,
                                                 error);
  g_auto(CcPollPosition) poll = { 0 };
  g_auto(GStrv) parts = NULL;

  *polled = FALSE;
  if (cursor == NULL && error && *error)
    return FALSE;
  if (cursor == NULL)
    {
      position->phase = g_strdup (PHASE_INITIAL);
      position->url = initial_url (reader, plan, NULL);
      return TRUE;
    }
  *polled = cc_poll_position_parse (cursor, &poll);

  parts = g_strsplit (cursor, " ", 2);
  position->phase = g_strdup (parts[0]);
  position->url = g_strdup (parts[1]);
  return TRUE;
}

/* The delta token expired (too long since the last sync), or the table
 * was polled before it had change tracking: read everything again, then
 * delete what has gone meanwhile. */
static gboolean
start_resync (Reader               *reader,
              const CcIngressPlan  *plan,
              GError              **error)
{
  const char *workflow = cc_run_get_workflow_id (reader->ingress->run);
  g_autofree char *start = initial_url (reader, plan, NULL);
  g_autofree char *restart = g_strdup_printf ("%s %s", PHASE_RESYNC, start);

  g_debug ("ingress %s: full resync", plan->mapping->id);
  return cc_store_map_clear (reader->store, plan->seen_space, error)
         && cc_store_set_cursor (reader->store, workflow, plan->cursor_name, restart, error);
}

/* The cursor after @page; *idle when the table is caught up. */
static char *
next_cursor (const CcIngressPlan  *plan,
             const Position       *position,
             CcDataversePage      *page,
             gboolean             *idle,
             GError              **error)
{
  if (page->next_link != NULL)
    return g_strdup_printf ("%s %s", position->phase, page->next_link);
  if (page->delta_link != NULL)
    {
      *idle = g_str_equal (position->phase, PHASE_DELTA) && page->rows->len == 0
              && page->deleted_ids->len == 0;
      return g_strdup_printf ("%s %s", PHASE_DELTA, page->delta_link);
    }
  g_set_error (error, CC_ERROR, CC_ERROR_FAILED,
               _("Dynamics 365 ended the read of table “%s” without a delta link, so "
                 "changes cannot be followed. Check that change tracking is enabled "
                 "for the table."), plan->mapping->source);
  return NULL;
}

/* Maps @page into queue items; at the end of a full resync, deletes for
 * what it did not see. */
static GPtrArray *
map_page (Reader               *reader,
          const CcIngressPlan  *plan,
          const Position       *position,
          CcDataversePage      *page,
          CcStoreBatch         *marks,
          GError              **error)
{
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func ((GDestroyNotify) cc_queue_item_free);
  gboolean resync = g_str_equal (position->phase, PHASE_RESYNC);
  gboolean full_read = resync || g_str_equal (position->phase, PHASE_INITIAL);

  if (resync)
    cc_poll_reader_mark_rows (marks, plan->seen_space, plan->primary_key, page->rows);
  map_rows (plan, page->rows, full_read ? CC_QUEUE_FLAG_FULL : 0, items);
  map_deletes (plan, page->deleted_ids, items);
  if (resync && page->next_link == NULL)
    {
      g_autoptr(GPtrArray) gone = cc_poll_reader_list_gone (reader->store, plan->identity_space,
                                                            plan->seen_space, error);
      if (gone == NULL)
        return NULL;
      map_deletes (plan, gone, items);
    }
  return g_steal_pointer (&items);
}

/* Reads one page of @plan's table with change tracking and queues it
 * with the new position. *idle is set when the table is caught up
 * (nothing new to read until the next poll). */
static gboolean
read_tracked_page (Reader               *reader,
                   const CcIngressPlan  *plan,
                   gboolean             *idle,
                   GError              **error)
{
  CcRun *run = reader->ingress->run;
  const char *workflow = cc_run_get_workflow_id (run);
  g_auto(Position) position = { 0 };
  g_autofree char *next = NULL;
  g_autoptr(CcDataversePage) page = NULL;
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(CcStoreBatch) marks = cc_store_batch_new (workflow);  /* saved with the page */
  g_autoptr(GError) local = NULL;
  gboolean polled;

  *idle = FALSE;
  if (!load_position (reader, plan, &position, &polled, error))
    return FALSE;
  /* Change tracking was switched on since the last run: what changed
   * meanwhile, deletes included, is found by reading everything once. */
  if (polled)
    return start_resync (reader, plan, error);
  page = cc_dataverse_client_read_page (reader->client, position.url, read_flags (plan, TRUE),
                                        reader->ingress->config->page_size,
                                        cc_run_get_cancellable (run), &local);
  if (page == NULL && g_error_matches (local, CC_ERROR, CC_ERROR_EXPIRED_CURSOR))
    return start_resync (reader, plan, error);
  if (page == NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local));
      return FALSE;
    }

  next = next_cursor (plan, &position, page, idle, error);
  if (next == NULL)
    return FALSE;
  items = map_page (reader, plan, &position, page, marks, error);
  if (items == NULL
      || !cc_store_enqueue_with_maps (reader->store, workflow, items, plan->cursor_name, next,
                                      marks, error))
    return FALSE;
  if (g_str_equal (position.phase, PHASE_RESYNC) && page->next_link == NULL)
    cc_store_map_clear (reader->store, plan->seen_space, NULL);
  return TRUE;
}

/* The rows of a polled table's page into queue items: the first read
 * writes every field, as a first read with change tracking does. */
static gboolean
map_polled_rows (const CcPollPage  *page,
                 GPtrArray         *items,
                 CcStoreBatch      *maps,
                 gpointer           user_data,
                 GError           **error)
{
  map_rows (user_data, page->rows, page->first ? CC_QUEUE_FLAG_FULL : 0, items);
  return TRUE;
}

static gboolean
delete_gone (GPtrArray     *ids,
             GPtrArray     *items,
             CcStoreBatch  *maps,
             gpointer       user_data,
             GError       **error)
{
  map_deletes (user_data, ids, items);
  return TRUE;
}

/* Reads one page of @plan's table, however Dynamics 365 lets it be
 * followed. */
static gboolean
read_page (Reader               *reader,
           const CcIngressPlan  *plan,
           gboolean             *idle,
           GError              **error)
{
  if (plan->poll == NULL)
    return read_tracked_page (reader, plan, idle, error);
  return cc_poll_reader_read_page (plan->poll, reader->store, reader->client,
                                   cc_run_get_cancellable (reader->ingress->run),
                                   map_polled_rows, (gpointer) plan, idle, error);
}

/* For a polled table whose mapping applies deletes, one page of a sweep
 * when one is under way or due. Returns whether it read one. */
static gboolean
sweep_page (Reader               *reader,
            const CcIngressPlan  *plan,
            GError              **error)
{
  if (plan->poll == NULL || !plan->mapping->apply_deletes)
    return FALSE;
  return cc_poll_reader_sweep_page (plan->poll, reader->store, reader->client,
                                    cc_run_get_cancellable (reader->ingress->run),
                                    delete_gone, (gpointer) plan, error);
}

/* A column of @plan's table gone: the error says what to do. */
static void
explain_read_error (Reader               *reader,
                    const CcIngressPlan  *plan,
                    GError              **error)
{
  g_autofree char *where = cc_ingress_plan_where (plan);

  cc_schema_guard_explain_read (reader->ingress->guard, reader->client, plan->mapping->source,
                                (const char * const *) plan->columns, where,
                                cc_run_get_cancellable (reader->ingress->run), error);
}

/* One round over every table: a page of a pending replay, else a page
 * of its changes, else (caught up, no change tracking) a page of a sweep
 * for deletes. *idle when no table had anything to read. */
static gboolean
read_round (gpointer   data,
            gboolean  *idle,
            GError   **error)
{
  Reader *reader = data;
  GPtrArray *plans = reader->ingress->plans;
  g_autoptr(GError) local = NULL;

  *idle = TRUE;
  for (guint i = 0; i < plans->len && local == NULL; i++)
    {
      const CcIngressPlan *plan = g_ptr_array_index (plans, i);
      gboolean table_idle = TRUE;

      if (read_replay_page (reader, plan, &local)
          || (local == NULL && read_backfill_page (reader, plan, &local)))
        *idle = FALSE;
      else if (local == NULL && read_page (reader, plan, &table_idle, &local) && !table_idle)
        *idle = FALSE;
      else if (local == NULL && table_idle && sweep_page (reader, plan, &local))
        *idle = FALSE;
      if (local != NULL)
        explain_read_error (reader, plan, &local);
    }
  if (local != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local));
      return FALSE;
    }
  return TRUE;
}

gboolean
cc_ingress_read_loop (CcIngress  *self,
                      GError    **error)
{
  CcRun *run = self->run;
  g_autoptr(CcStore) store = NULL;
  g_autoptr(CcDataverseClient) client = NULL;
  Reader reader = { self, NULL, NULL };

  store = cc_run_open_store (run, error);
  if (store == NULL)
    return FALSE;
  client = cc_run_new_dataverse_client (run, 2, error);
  if (client == NULL)
    return FALSE;
  reader.store = store;
  reader.client = client;
  for (guint i = 0; i < self->plans->len; i++)
    {
      const CcIngressPlan *plan = g_ptr_array_index (self->plans, i);

      if (plan->poll != NULL)
        cc_poll_reader_announce (plan->poll, run, store);
    }
  return cc_run_poll (run, "ingress reader", read_round, &reader,
                      self->config->poll_interval_s * 1000, error);
}
