/* cc-ingress-reader.c — the ingress reader thread.
 *
 * The reader pulls each mapped table with Dataverse change tracking: a
 * first full read (paged by nextLink), then the deltaLink, polled. Every
 * page's mapped records go into the queue together with the new read
 * position, in one transaction: a crash can neither lose a page nor queue
 * it twice. Tables without change tracking are polled by modifiedon, and
 * swept now and then for deletes (cc-ingress-sweep.c). The writers
 * (cc-ingress-writer.c) drain the queue into Campaign.
 *
 * A read position is stored as "<phase> <url>": phase "initial" (the first
 * full read: every field is written), "resync" (a full read after the
 * delta token expired: afterwards, records no longer in Dynamics are
 * deleted from Campaign), "delta" (changes), "poll <watermark>" (no change
 * tracking).
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "cc-error.h"
#include "cc-ingress-private.h"
#include "cc-mapper.h"

#define PHASE_INITIAL "initial"
#define PHASE_RESYNC  "resync"
#define PHASE_DELTA   "delta"
#define PHASE_POLL    "poll"
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
 * the error log as rejected items (so they are visible and retryable). */
static void
map_rows (const CcIngressPlan *plan,
          GPtrArray           *rows,
          guint                flags,
          GPtrArray           *items)
{
  const CcTableMapping *mapping = plan->mapping;

  for (guint i = 0; i < rows->len; i++)
    {
      JsonObject *row = g_ptr_array_index (rows, i);
      const char *id = json_object_get_string_member_with_default (row, plan->primary_key, NULL);
      g_autoptr(JsonObject) record = NULL;
      g_autoptr(GError) error = NULL;
      g_autofree char *payload = NULL;
      CcMapVerdict verdict;

      if (id == NULL)
        continue;

      verdict = cc_mapper_apply (mapping, id, row, &record, &error);
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
          const char *parent = json_object_get_string_member_with_default (row,
                                                                           mapping->parent_field,
                                                                           NULL);
          if (parent != NULL)
            json_object_set_string_member (record, CC_INGRESS_PARENT_MEMBER, parent);
        }
      {
        g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (), record);
        payload = json_to_string (node, FALSE);
      }
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

/* Marks the rows of a resync page as seen, saved with the page. */
static void
remember_seen (const CcIngressPlan *plan,
               GPtrArray           *rows,
               CcStoreBatch        *marks)
{
  for (guint i = 0; i < rows->len; i++)
    {
      const char *id = json_object_get_string_member_with_default (g_ptr_array_index (rows, i),
                                                                   plan->primary_key, NULL);
      if (id != NULL)
        cc_store_batch_map_set (marks, plan->seen_space, id, "1");
    }
}

static char *
initial_url (Reader              *reader,
             const CcIngressPlan *plan,
             const char          *filter)
{
  return cc_dataverse_client_build_query_url (reader->client, plan->entity_set,
                                              (const char * const *) plan->columns, filter);
}

static char *
poll_url (Reader              *reader,
          const CcIngressPlan *plan,
          const char          *watermark)
{
  g_autofree char *filter = watermark && *watermark
                            ? g_strdup_printf ("modifiedon ge %s", watermark) : NULL;
  g_autofree char *url = initial_url (reader, plan, filter);

  return g_strconcat (url, strchr (url, '?') ? "&" : "?", "$orderby=modifiedon%20asc", NULL);
}

/* Drops rows whose version the fallback poller has already queued (a
 * modifiedon watermark re-reads the rows of its own second). The versions
 * of the others go into @marks, to be saved with the page that queues
 * them: a crash in between must not make them look queued. */
static gboolean
drop_seen_versions (Reader              *reader,
                    const CcIngressPlan *plan,
                    GPtrArray           *rows,
                    CcStoreBatch        *marks,
                    GError             **error)
{
  for (guint i = rows->len; i > 0; i--)
    {
      JsonObject *row = g_ptr_array_index (rows, i - 1);
      const char *id = json_object_get_string_member_with_default (row, plan->primary_key, NULL);
      const char *etag = json_object_get_string_member_with_default (row, "@odata.etag", NULL);
      const char *marked = NULL;
      g_autofree char *known = NULL;

      if (id == NULL || etag == NULL)
        continue;
      if (cc_store_batch_map_lookup (marks, plan->version_space, id, &marked))
        known = g_strdup (marked);
      else
        known = cc_store_map_get (reader->store, plan->version_space, id, error);
      if (error && *error)
        return FALSE;
      if (g_strcmp0 (known, etag) == 0)
        g_ptr_array_remove_index (rows, i - 1);
      else
        cc_store_batch_map_set (marks, plan->version_space, id, etag);
    }
  return TRUE;
}

static char *
max_modified (GPtrArray  *rows,
              const char *current)
{
  const char *best = current;

  for (guint i = 0; i < rows->len; i++)
    {
      const char *m = json_object_get_string_member_with_default (g_ptr_array_index (rows, i),
                                                                  "modifiedon", NULL);
      if (m != NULL && (best == NULL || g_strcmp0 (m, best) > 0))
        best = m;
    }
  return g_strdup (best);
}

/* Reads one page of a pending replay, if any. Returns whether it did. */
static gboolean
read_replay_page (Reader               *reader,
                  const CcIngressPlan  *plan,
                  GError              **error)
{
  GCancellable *cancellable = cc_run_get_cancellable (reader->ingress->run);
  const char *workflow = cc_run_get_workflow_id (reader->ingress->run);
  g_autofree char *cursor = NULL;
  g_autofree char *url = NULL;
  g_autofree char *next = NULL;
  g_auto(GStrv) parts = NULL;
  g_autoptr(CcDataversePage) page = NULL;
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func ((GDestroyNotify) cc_queue_item_free);
  const char *since;

  cursor = cc_store_get_cursor (reader->store, workflow, plan->replay_name, error);
  if (cursor == NULL)
    return FALSE;

  /* "<since>" to begin, "page <since> <url>" while paging. */
  parts = g_strsplit (cursor, " ", 3);
  if (g_str_equal (parts[0], PHASE_REPLAY) && parts[1] && parts[2])
    {
      since = parts[1];
      url = g_strdup (parts[2]);
    }
  else
    {
      g_autofree char *filter = NULL;
      since = parts[0];
      if (!g_str_equal (since, "all"))
        filter = g_strdup_printf ("modifiedon ge %s", since);
      url = initial_url (reader, plan, filter);
    }

  page = cc_dataverse_client_read_page (reader->client, url, read_flags (plan, FALSE),
                                        reader->ingress->config->page_size, cancellable, error);
  if (page == NULL)
    return FALSE;

  map_rows (plan, page->rows, CC_QUEUE_FLAG_FULL, items);
  if (page->next_link != NULL)
    next = g_strdup_printf ("%s %s %s", PHASE_REPLAY, since, page->next_link);
  if (!cc_store_enqueue (reader->store, workflow, items, plan->replay_name, next, error))
    return FALSE;
  return TRUE;
}

/* Where the read of a table stands, from its cursor. */
typedef struct
{
  char *phase;       /* PHASE_INITIAL, _RESYNC, _DELTA or _POLL */
  char *url;         /* the page to read */
  char *watermark;   /* PHASE_POLL: the newest modifiedon read, or NULL */
} Position;

static void
position_clear (Position *position)
{
  g_clear_pointer (&position->phase, g_free);
  g_clear_pointer (&position->url, g_free);
  g_clear_pointer (&position->watermark, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Position, position_clear)

/* The stored position of @plan's table, or the start of a first read. */
static gboolean
load_position (Reader               *reader,
               const CcIngressPlan  *plan,
               Position             *position,
               GError              **error)
{
  const char *workflow = cc_run_get_workflow_id (reader->ingress->run);
  g_autofree char *cursor = cc_store_get_cursor (reader->store, workflow, plan->cursor_name,
                                                 error);
  g_auto(GStrv) parts = NULL;

  if (cursor == NULL && error && *error)
    return FALSE;
  if (cursor == NULL)
    {
      gboolean tracking = plan->change_tracking;

      position->phase = g_strdup (tracking ? PHASE_INITIAL : PHASE_POLL);
      position->url = tracking ? initial_url (reader, plan, NULL) : poll_url (reader, plan, NULL);
      return TRUE;
    }

  parts = g_strsplit (cursor, " ", 3);
  position->phase = g_strdup (parts[0]);
  if (g_str_equal (parts[0], PHASE_POLL))
    {
      /* "poll <watermark> [<nextLink>]" */
      position->watermark = g_strdup (parts[1]);
      position->url = parts[1] && parts[2] ? g_strdup (parts[2])
                                           : poll_url (reader, plan, parts[1]);
    }
  else
    position->url = g_strdup (parts[1]);
  return TRUE;
}

/* The delta token expired (too long since the last sync): read
 * everything again, then delete what has gone meanwhile. */
static gboolean
start_resync (Reader               *reader,
              const CcIngressPlan  *plan,
              GError              **error)
{
  const char *workflow = cc_run_get_workflow_id (reader->ingress->run);
  g_autofree char *start = initial_url (reader, plan, NULL);
  g_autofree char *restart = g_strdup_printf ("%s %s", PHASE_RESYNC, start);

  g_debug ("ingress %s: delta token expired, full resync", plan->mapping->id);
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
  if (g_str_equal (position->phase, PHASE_POLL))
    {
      g_autofree char *watermark = max_modified (page->rows, position->watermark);

      *idle = page->next_link == NULL;
      return g_strdup_printf ("%s %s%s%s", PHASE_POLL, watermark ? watermark : "",
                              page->next_link ? " " : "", page->next_link ? page->next_link : "");
    }
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
    remember_seen (plan, page->rows, marks);
  map_rows (plan, page->rows, full_read ? CC_QUEUE_FLAG_FULL : 0, items);
  map_deletes (plan, page->deleted_ids, items);
  if (resync && page->next_link == NULL)
    {
      g_autoptr(GPtrArray) gone = cc_ingress_reconcile_deletes (reader->store, plan, error);

      if (gone == NULL)
        return NULL;
      for (guint i = 0; i < gone->len; i++)
        g_ptr_array_add (items, g_steal_pointer (&gone->pdata[i]));
      g_ptr_array_set_free_func (gone, NULL);
    }
  return g_steal_pointer (&items);
}

/* Reads one page of @plan's table and queues it with the new position.
 * *idle is set when the table is caught up (nothing new to read until
 * the next poll). */
static gboolean
read_page (Reader               *reader,
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

  *idle = FALSE;
  if (!load_position (reader, plan, &position, error))
    return FALSE;
  page = cc_dataverse_client_read_page (reader->client, position.url,
                                        read_flags (plan, plan->change_tracking),
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
  if (g_str_equal (position.phase, PHASE_POLL)
      && !drop_seen_versions (reader, plan, page->rows, marks, error))
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

      if (read_replay_page (reader, plan, &local))
        *idle = FALSE;
      else if (local == NULL && read_page (reader, plan, &table_idle, &local) && !table_idle)
        *idle = FALSE;
      else if (local == NULL && table_idle
               && cc_ingress_read_sweep_page (reader->ingress, reader->store, reader->client,
                                              plan, &local))
        *idle = FALSE;
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
  return cc_run_poll (run, "ingress reader", read_round, &reader,
                      self->config->poll_interval_s * 1000, error);
}
