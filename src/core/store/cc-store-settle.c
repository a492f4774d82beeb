/* cc-store-batch.c — what a writer settled about its lease, gathered in
 * memory until cc_store_settle() commits it in one transaction.
 */
#include "config.h"

#include "cc-store-private.h"

static void
failure_free (CcStoreFailure *failure)
{
  g_free (failure->reason);
  g_free (failure);
}

static void
map_change_free (CcStoreMapChange *change)
{
  g_free (change->space);
  g_free (change->key);
  g_free (change->value);
  g_free (change);
}

/* The unit separator keeps space and key apart: neither a map's space (a
 * workflow and mapping id) nor a record key (a Dynamics id, an event id,
 * an email address) holds one. */
static char *
map_index_key (const char *space,
               const char *key)
{
  return g_strconcat (space, "\x1f", key, NULL);
}

CcStoreBatch *
cc_store_batch_new (const char *workflow)
{
  CcStoreBatch *batch = g_new0 (CcStoreBatch, 1);

  g_return_val_if_fail (workflow != NULL, NULL);

  batch->workflow = g_strdup (workflow);
  batch->done = g_array_new (FALSE, FALSE, sizeof (gint64));
  batch->again = g_array_new (FALSE, FALSE, sizeof (gint64));
  batch->failures = g_ptr_array_new_with_free_func ((GDestroyNotify) failure_free);
  batch->map_changes = g_ptr_array_new_with_free_func ((GDestroyNotify) map_change_free);
  batch->map_index = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  return batch;
}

void
cc_store_batch_free (CcStoreBatch *batch)
{
  if (batch == NULL)
    return;
  g_hash_table_unref (batch->map_index);
  g_ptr_array_unref (batch->map_changes);
  g_ptr_array_unref (batch->failures);
  g_array_unref (batch->again);
  g_array_unref (batch->done);
  g_free (batch->workflow);
  g_free (batch);
}

void
cc_store_batch_clear (CcStoreBatch *batch)
{
  g_return_if_fail (batch != NULL);

  g_array_set_size (batch->done, 0);
  g_array_set_size (batch->again, 0);
  g_ptr_array_set_size (batch->failures, 0);
  g_hash_table_remove_all (batch->map_index);
  g_ptr_array_set_size (batch->map_changes, 0);
  batch->written = 0;
}

void
cc_store_batch_done (CcStoreBatch *batch,
                     gint64        id)
{
  g_return_if_fail (batch != NULL);
  g_array_append_val (batch->done, id);
}

void
cc_store_batch_again (CcStoreBatch *batch,
                      gint64        id)
{
  g_return_if_fail (batch != NULL);
  g_array_append_val (batch->again, id);
}

void
cc_store_batch_fail (CcStoreBatch *batch,
                     gint64        id,
                     guint         http_status,
                     const char   *reason)
{
  CcStoreFailure *failure;

  g_return_if_fail (batch != NULL);

  failure = g_new0 (CcStoreFailure, 1);
  failure->id = id;
  failure->http_status = http_status;
  failure->reason = g_strdup (reason != NULL ? reason : "");
  g_ptr_array_add (batch->failures, failure);
}

void
cc_store_batch_add_written (CcStoreBatch *batch,
                            guint         n)
{
  g_return_if_fail (batch != NULL);
  batch->written += n;
}

void
cc_store_batch_map_set (CcStoreBatch *batch,
                        const char   *space,
                        const char   *key,
                        const char   *value)
{
  CcStoreMapChange *change;

  g_return_if_fail (batch != NULL);
  g_return_if_fail (space != NULL && key != NULL);

  change = g_new0 (CcStoreMapChange, 1);
  change->space = g_strdup (space);
  change->key = g_strdup (key);
  change->value = g_strdup (value);
  g_ptr_array_add (batch->map_changes, change);
  g_hash_table_replace (batch->map_index, map_index_key (space, key), change);
}

gboolean
cc_store_batch_map_lookup (CcStoreBatch  *batch,
                           const char    *space,
                           const char    *key,
                           const char   **value)
{
  g_autofree char *index_key = NULL;
  CcStoreMapChange *change;

  g_return_val_if_fail (batch != NULL, FALSE);
  g_return_val_if_fail (space != NULL && key != NULL && value != NULL, FALSE);

  if (batch->map_changes->len == 0)
    return FALSE;
  index_key = map_index_key (space, key);
  change = g_hash_table_lookup (batch->map_index, index_key);
  if (change == NULL)
    return FALSE;
  *value = change->value;
  return TRUE;
}

guint
cc_store_batch_get_written (CcStoreBatch *batch)
{
  g_return_val_if_fail (batch != NULL, 0);
  return batch->written;
}

guint
cc_store_batch_get_failed (CcStoreBatch *batch)
{
  g_return_val_if_fail (batch != NULL, 0);
  return batch->failures->len;
}

guint
cc_store_batch_get_again (CcStoreBatch *batch)
{
  g_return_val_if_fail (batch != NULL, 0);
  return batch->again->len;
}
