/* cc-poll-reader-sweep.c — finding the rows deleted from a table that is
 * polled (see cc-poll-reader.h).
 *
 * Every CC_POLL_SWEEP_POLLS poll intervals the reader reads the table's
 * ids alone (one column, in pages) and marks each as seen; at the end,
 * every id of the workflow's known map that no mark shows has gone. The
 * marks are saved with each page's sweep position, so a sweep that a stop
 * or a crash interrupts carries on where it was.
 */
#include "config.h"

#include <string.h>

#include "cc-poll-reader-private.h"

#define SWEEP_DONE "done"
#define SWEEP_PAGE "page"

void
cc_poll_reader_mark_rows (CcStoreBatch *maps,
                          const char   *seen_space,
                          const char   *primary_key,
                          GPtrArray    *rows)
{
  for (guint i = 0; i < rows->len; i++)
    {
      const char *id = cc_json_row_get_string (g_ptr_array_index (rows, i), primary_key);
      if (id != NULL)
        cc_store_batch_map_set (maps, seen_space, id, "1");
    }
}

/* A row created while a sweep is under way may sort before the page the
 * sweep has reached; the poll that reads it vouches for it instead. */
gboolean
cc_poll_reader_mark_seen (CcPollReader  *self,
                          CcStore       *store,
                          GPtrArray     *rows,
                          CcStoreBatch  *maps,
                          GError       **error)
{
  g_autoptr(GError) local = NULL;
  g_autofree char *sweep = cc_store_get_cursor (store, self->workflow_id, self->sweep_name,
                                                &local);

  if (local != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local));
      return FALSE;
    }
  if (sweep != NULL && g_str_has_prefix (sweep, SWEEP_PAGE " "))
    cc_poll_reader_mark_rows (maps, self->seen_space, self->primary_key, rows);
  return TRUE;
}

typedef struct
{
  CcStore    *store;
  const char *seen_space;
  GPtrArray  *gone;
  GError     *error;
} Unseen;

static gboolean
collect_unseen (const char *key,
                const char *value,
                gpointer    user_data)
{
  Unseen *unseen = user_data;
  g_autofree char *seen = cc_store_map_get (unseen->store, unseen->seen_space, key,
                                            &unseen->error);

  if (unseen->error != NULL)
    return FALSE;
  if (seen == NULL)
    g_ptr_array_add (unseen->gone, g_strdup (key));
  return TRUE;
}

GPtrArray *
cc_poll_reader_list_gone (CcStore     *store,
                          const char  *known_space,
                          const char  *seen_space,
                          GError     **error)
{
  g_autoptr(GPtrArray) gone = g_ptr_array_new_with_free_func (g_free);
  Unseen unseen = { store, seen_space, gone, NULL };

  if (!cc_store_map_foreach (store, known_space, collect_unseen, &unseen, error))
    return NULL;
  if (unseen.error != NULL)
    {
      g_propagate_error (error, unseen.error);
      return NULL;
    }
  return g_steal_pointer (&gone);
}

/* Whether a sweep should read a page now: one is under way, or the last
 * ended long enough ago. */
static gboolean
sweep_due (CcPollReader  *self,
           CcStore       *store,
           const char    *sweep,
           GError       **error)
{
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  g_autofree char *read = NULL;
  g_autofree char *started = NULL;
  g_auto(CcPollPosition) position = { 0 };
  g_autoptr(GError) local = NULL;

  if (sweep != NULL)
    return !g_str_has_prefix (sweep, SWEEP_DONE " ")
           || now - g_ascii_strtoll (sweep + strlen (SWEEP_DONE " "), NULL, 10)
              >= (gint64) CC_POLL_SWEEP_POLLS * self->poll_interval_s;

  /* No sweep yet: once the first read is over, start the clock. */
  read = cc_store_get_cursor (store, self->workflow_id, self->cursor_name, &local);
  if (local != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local));
      return FALSE;
    }
  if (!cc_poll_position_parse (read, &position) || position.first)
    return FALSE;
  started = g_strdup_printf ("%s %" G_GINT64_FORMAT, SWEEP_DONE, now);
  cc_store_set_cursor (store, self->workflow_id, self->sweep_name, started, error);
  return FALSE;
}

/* The last page was read: hands what has gone to @gone, and commits what
 * it made with the end of the sweep. */
static gboolean
finish_sweep (CcPollReader    *self,
              CcStore         *store,
              CcPollGoneFunc   gone,
              gpointer         user_data,
              GError         **error)
{
  g_autoptr(GPtrArray) ids = NULL;
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func ((GDestroyNotify) cc_queue_item_free);
  g_autoptr(CcStoreBatch) maps = cc_store_batch_new (self->workflow_id);
  g_autofree char *done = NULL;

  ids = cc_poll_reader_list_gone (store, self->known_space, self->seen_space, error);
  if (ids == NULL || !gone (ids, items, maps, user_data, error))
    return FALSE;
  if (ids->len > 0)
    g_debug ("%s: %u rows of %s deleted in Dynamics 365, found by the sweep",
             self->workflow_id, ids->len, self->table);

  done = g_strdup_printf ("%s %" G_GINT64_FORMAT, SWEEP_DONE, g_get_real_time () / G_USEC_PER_SEC);
  if (!cc_store_enqueue_with_maps (store, self->workflow_id, items, self->sweep_name, done, maps,
                                   error))
    return FALSE;
  cc_store_map_clear (store, self->seen_space, NULL);
  return TRUE;
}

gboolean
cc_poll_reader_sweep_page (CcPollReader       *self,
                           CcStore            *store,
                           CcDataverseClient  *client,
                           GCancellable       *cancellable,
                           CcPollGoneFunc      gone,
                           gpointer            user_data,
                           GError            **error)
{
  const char * const columns[] = { self->primary_key, NULL };
  g_autoptr(GError) local = NULL;
  g_autofree char *sweep = NULL;
  g_autofree char *url = NULL;
  g_autofree char *next = NULL;
  g_autoptr(CcDataversePage) page = NULL;
  g_autoptr(CcStoreBatch) maps = cc_store_batch_new (self->workflow_id);

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (gone != NULL, FALSE);

  sweep = cc_store_get_cursor (store, self->workflow_id, self->sweep_name, &local);
  if (local != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local));
      return FALSE;
    }
  if (!sweep_due (self, store, sweep, error))
    return FALSE;

  if (sweep != NULL && g_str_has_prefix (sweep, SWEEP_PAGE " "))
    url = g_strdup (sweep + strlen (SWEEP_PAGE " "));
  else
    {
      /* A new sweep: forget what an interrupted one saw. */
      if (!cc_store_map_clear (store, self->seen_space, error))
        return FALSE;
      url = cc_dataverse_client_build_query_url (client, self->entity_set, columns, NULL);
    }

  page = cc_dataverse_client_read_page (client, url, CC_DATAVERSE_READ_NONE, self->page_size,
                                        cancellable, error);
  if (page == NULL)
    return FALSE;
  cc_poll_reader_mark_rows (maps, self->seen_space, self->primary_key, page->rows);
  /* The last page's marks are saved first: what has gone is what no mark
   * shows. A crash in between reads the last page again. */
  if (page->next_link != NULL)
    next = g_strdup_printf ("%s %s", SWEEP_PAGE, page->next_link);
  if (!cc_store_enqueue_with_maps (store, self->workflow_id, NULL,
                                   next ? self->sweep_name : NULL, next, maps, error))
    return FALSE;
  return next != NULL || finish_sweep (self, store, gone, user_data, error);
}
