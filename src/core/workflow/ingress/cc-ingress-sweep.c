/* cc-ingress-sweep.c — deletes in tables without change tracking, and
 * after a full resync.
 *
 * A table without change tracking is polled by modifiedon, which shows
 * creates and updates but never a deleted row. So every SWEEP_POLLS poll
 * intervals the reader also reads the table's ids alone (one column, in
 * pages), marks each as seen, and at the end queues a delete for every
 * record the identity map holds (it is in Campaign) that was not seen.
 * The seen marks are saved with each page's read position, so a sweep
 * that a stop or a crash interrupts carries on where it was.
 *
 * A sweep position is stored as "done <unix time>" between sweeps and
 * "page <url>" during one.
 */
#include "config.h"

#include <string.h>

#include "cc-ingress-private.h"

#define SWEEP_POLLS 10
#define SWEEP_DONE  "done"
#define SWEEP_PAGE  "page"

typedef struct
{
  CcStore             *store;
  const CcIngressPlan *plan;
  GPtrArray           *items;
  GError              *error;
} Reconcile;

static gboolean
reconcile_one (const char *key,
               const char *value,
               gpointer    user_data)
{
  Reconcile *r = user_data;
  g_autofree char *seen = cc_store_map_get (r->store, r->plan->seen_space, key, &r->error);

  if (r->error != NULL)
    return FALSE;
  if (seen == NULL)
    g_ptr_array_add (r->items, cc_queue_item_new (r->plan->mapping->id, key,
                                                  CC_QUEUE_OP_DELETE, "{}", 0));
  return TRUE;
}

GPtrArray *
cc_ingress_reconcile_deletes (CcStore              *store,
                              const CcIngressPlan  *plan,
                              GError              **error)
{
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func ((GDestroyNotify) cc_queue_item_free);
  Reconcile r = { store, plan, items, NULL };

  if (plan->mapping->apply_deletes
      && !cc_store_map_foreach (store, plan->identity_space, reconcile_one, &r, error))
    return NULL;
  if (r.error != NULL)
    {
      g_propagate_error (error, r.error);
      return NULL;
    }
  return g_steal_pointer (&items);
}

static gboolean
sweep_due (CcIngress            *self,
           CcStore              *store,
           const CcIngressPlan  *plan,
           const char           *cursor,
           GError              **error)
{
  const char *workflow = cc_run_get_workflow_id (self->run);
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  g_autofree char *read = NULL;
  g_autofree char *started = NULL;

  if (cursor != NULL)
    return !g_str_has_prefix (cursor, SWEEP_DONE " ")
           || now - g_ascii_strtoll (cursor + strlen (SWEEP_DONE " "), NULL, 10)
              >= (gint64) SWEEP_POLLS * self->config->poll_interval_s;

  /* No sweep yet: once the first read is over, start the clock. */
  read = cc_store_get_cursor (store, workflow, plan->cursor_name, error);
  if (read == NULL || !g_str_has_prefix (read, "poll "))
    return FALSE;
  started = g_strdup_printf ("%s %" G_GINT64_FORMAT, SWEEP_DONE, now);
  cc_store_set_cursor (store, workflow, plan->sweep_name, started, error);
  return FALSE;
}

gboolean
cc_ingress_read_sweep_page (CcIngress            *self,
                            CcStore              *store,
                            CcDataverseClient    *client,
                            const CcIngressPlan  *plan,
                            GError              **error)
{
  const char *workflow = cc_run_get_workflow_id (self->run);
  const char * const columns[] = { plan->primary_key, NULL };
  g_autofree char *cursor = NULL;
  g_autofree char *url = NULL;
  g_autofree char *next = NULL;
  g_autoptr(CcDataversePage) page = NULL;
  g_autoptr(GPtrArray) gone = NULL;
  g_autoptr(CcStoreBatch) seen = cc_store_batch_new (workflow);

  if (plan->change_tracking || !plan->mapping->apply_deletes)
    return FALSE;
  cursor = cc_store_get_cursor (store, workflow, plan->sweep_name, error);
  if ((error && *error) || !sweep_due (self, store, plan, cursor, error))
    return FALSE;

  if (cursor != NULL && g_str_has_prefix (cursor, SWEEP_PAGE " "))
    url = g_strdup (cursor + strlen (SWEEP_PAGE " "));
  else
    {
      /* A new sweep: forget what an interrupted one saw. */
      if (!cc_store_map_clear (store, plan->seen_space, error))
        return FALSE;
      url = cc_dataverse_client_build_query_url (client, plan->entity_set, columns, NULL);
    }

  page = cc_dataverse_client_read_page (client, url, CC_DATAVERSE_READ_NONE,
                                        self->config->page_size,
                                        cc_run_get_cancellable (self->run), error);
  if (page == NULL)
    return FALSE;
  for (guint i = 0; i < page->rows->len; i++)
    {
      const char *id = json_object_get_string_member_with_default (g_ptr_array_index (page->rows, i),
                                                                   plan->primary_key, NULL);
      if (id != NULL)
        cc_store_batch_map_set (seen, plan->seen_space, id, "1");
    }

  if (page->next_link != NULL)
    {
      next = g_strdup_printf ("%s %s", SWEEP_PAGE, page->next_link);
      return cc_store_enqueue_with_maps (store, workflow, NULL, plan->sweep_name, next, seen,
                                         error);
    }

  /* The last page: what Campaign has and Dynamics no longer has. */
  if (!cc_store_enqueue_with_maps (store, workflow, NULL, NULL, NULL, seen, error))
    return FALSE;
  gone = cc_ingress_reconcile_deletes (store, plan, error);
  if (gone == NULL)
    return FALSE;
  if (gone->len > 0)
    g_debug ("ingress %s: %u records deleted in Dynamics 365 found by the sweep",
             plan->mapping->id, gone->len);
  next = g_strdup_printf ("%s %" G_GINT64_FORMAT, SWEEP_DONE, g_get_real_time () / G_USEC_PER_SEC);
  if (!cc_store_enqueue (store, workflow, gone, plan->sweep_name, next, error))
    return FALSE;
  cc_store_map_clear (store, plan->seen_space, NULL);
  return TRUE;
}
