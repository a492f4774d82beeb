/* cc-store-queue.c — the durable queue and the error log of CcStore.
 *
 * Delivery is at least once: an item stays in the queue, leased, until it
 * is acknowledged, failed for good or released; a crash leaves it leased,
 * and cc_store_release_all() at the next start makes it leasable again.
 *
 * Replace-newer: a record waiting to be written (leased = 0) exists once
 * per (workflow, mapping, key). A newer change of it replaces its op and
 * payload in place, ORs in its flags, and keeps its row id and queued_at:
 * the record keeps its place in line (ordered by when it was first
 * queued), so a record that changes all the time is not pushed back
 * forever. While a row is leased, a newer change is queued behind it as a
 * second row and is not leased before the first is acked, failed or
 * released.
 *
 * The backlog of each workflow is kept in the backlog table, adjusted in
 * the same transaction as every change to the queue.
 */
#include "config.h"

#include "cc-error.h"
#include "cc-store-private.h"

/* --- backlog bookkeeping ----------------------------------------------- */

static gboolean
adjust_backlog (CcStore     *self,
                const char  *workflow,
                gint64       delta,
                const char  *doing,
                GError     **error)
{
  g_autoptr(CcStoreStmt) stmt = NULL;

  if (delta == 0)
    return TRUE;
  stmt = cc_store_prepare (self, STMT_BACKLOG_ADJUST,
                           "INSERT INTO backlog (workflow, n) VALUES (?1, ?2)"
                           " ON CONFLICT (workflow) DO UPDATE SET n = n + excluded.n",
                           doing, error);
  if (stmt == NULL)
    return FALSE;
  cc_store_bind_text (stmt, 1, workflow);
  sqlite3_bind_int64 (stmt, 2, delta);
  return cc_store_run (self, stmt, doing, error);
}

/* Applies the per-workflow deltas gathered in @tally (workflow → count
 * of removed rows). */
static gboolean
remove_from_backlog (CcStore     *self,
                     GHashTable  *tally,
                     const char  *doing,
                     GError     **error)
{
  GHashTableIter iter;
  gpointer key, value;

  g_hash_table_iter_init (&iter, tally);
  while (g_hash_table_iter_next (&iter, &key, &value))
    if (!adjust_backlog (self, key, -(gint64) GPOINTER_TO_SIZE (value), doing, error))
      return FALSE;
  return TRUE;
}

/* Counts one removed row of @workflow in @tally. */
static void
tally_one (GHashTable *tally,
           const char *workflow)
{
  gsize n = GPOINTER_TO_SIZE (g_hash_table_lookup (tally, workflow));

  g_hash_table_replace (tally, g_strdup (workflow), GSIZE_TO_POINTER (n + 1));
}

/* Runs a DELETE … RETURNING workflow and counts the removed rows per
 * workflow in @tally. */
static gboolean
run_and_tally (CcStore      *self,
               CcStoreStmt  *stmt,
               GHashTable   *tally,
               const char   *doing,
               GError      **error)
{
  int rc;

  while ((rc = cc_store_step (self, stmt, doing, error)) == SQLITE_ROW)
    tally_one (tally, (const char *) sqlite3_column_text (stmt, 0));
  return rc == SQLITE_DONE;
}

/* The highest row id the queue has now. AUTOINCREMENT hands out ids above
 * every id ever used, so the rows a transaction inserts after this call
 * are exactly those with a greater id. */
static gboolean
get_max_id (CcStore     *self,
            gint64      *max_id,
            const char  *doing,
            GError     **error)
{
  g_autoptr(CcStoreStmt) stmt = NULL;

  stmt = cc_store_prepare (self, STMT_QUEUE_MAX_ID,
                           "SELECT IFNULL (MAX (id), 0) FROM queue", doing, error);
  if (stmt == NULL || cc_store_step (self, stmt, doing, error) != SQLITE_ROW)
    return FALSE;
  *max_id = sqlite3_column_int64 (stmt, 0);
  return TRUE;
}

/* Adds the rows inserted since get_max_id() returned @max_id (an upsert
 * that replaced a waiting row added none) to @workflow's backlog. */
static gboolean
count_inserted (CcStore     *self,
                const char  *workflow,
                gint64       max_id,
                gint64      *inserted,
                const char  *doing,
                GError     **error)
{
  g_autoptr(CcStoreStmt) stmt = NULL;

  stmt = cc_store_prepare (self, STMT_QUEUE_COUNT_NEW,
                           "SELECT COUNT (*) FROM queue WHERE id > ?1", doing, error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, max_id);
  if (cc_store_step (self, stmt, doing, error) != SQLITE_ROW)
    return FALSE;
  *inserted = sqlite3_column_int64 (stmt, 0);
  g_clear_pointer (&stmt, cc_store_stmt_done);
  return adjust_backlog (self, workflow, *inserted, doing, error);
}

static gint
compare_items (gconstpointer a,
               gconstpointer b)
{
  const CcQueueItem *item_a = *(const CcQueueItem * const *) a;
  const CcQueueItem *item_b = *(const CcQueueItem * const *) b;

  return (item_a->id > item_b->id) - (item_a->id < item_b->id);
}

/* --- queue ------------------------------------------------------------- */

/* One change to queue. Both statements below take it as ?1…?6. */
typedef struct
{
  const char *workflow;
  const char *mapping;
  const char *key;
  CcQueueOp   op;
  const char *payload;
  guint       flags;
} Change;

static void
bind_change (CcStoreStmt  *stmt,
             const Change *change)
{
  cc_store_bind_text (stmt, 1, change->workflow);
  cc_store_bind_text (stmt, 2, change->mapping);
  cc_store_bind_text (stmt, 3, change->key);
  sqlite3_bind_int (stmt, 4, (int) change->op);
  cc_store_bind_text (stmt, 5, change->payload);
  sqlite3_bind_int64 (stmt, 6, change->flags);
}

/* Replace-newer for the waiting row of the change's record, if there is
 * one: it takes the change's flags, and its op and payload too unless it
 * is as old as @newer_than or older (then it is the newer change and
 * keeps them). TRUE with *@id and *@queued_at of the row when there was
 * one. */
static gboolean
merge_pending (CcStore       *self,
               const Change  *change,
               gint64         newer_than,
               gint64        *id,
               gint64        *queued_at,
               const char    *doing,
               GError       **error)
{
  g_autoptr(CcStoreStmt) stmt = NULL;
  int rc;

  stmt = cc_store_prepare (self, STMT_QUEUE_MERGE_PENDING,
                           "UPDATE queue SET"
                           "  op = CASE WHEN id > ?7 THEN ?4 ELSE op END,"
                           "  payload = CASE WHEN id > ?7 THEN ?5 ELSE payload END,"
                           "  flags = flags | ?6"
                           " WHERE workflow = ?1 AND mapping = ?2 AND key = ?3 AND leased = 0"
                           " RETURNING id, queued_at",
                           doing, error);
  if (stmt == NULL)
    return FALSE;
  bind_change (stmt, change);
  sqlite3_bind_int64 (stmt, 7, newer_than);
  rc = cc_store_step (self, stmt, doing, error);
  if (rc == SQLITE_ROW)
    {
      *id = sqlite3_column_int64 (stmt, 0);
      *queued_at = sqlite3_column_int64 (stmt, 1);
      rc = cc_store_step (self, stmt, doing, error);
      if (rc == SQLITE_DONE)
        return TRUE;
    }
  *id = 0;
  return FALSE;
}

/* Queues @change at the end of the line unless its record already waits
 * (replace-newer, see the top of this file). *@id and *@queued_at are
 * those of the row that holds it. */
static gboolean
queue_change (CcStore       *self,
              const Change  *change,
              gint64         newer_than,
              gint64         now,
              gint64        *id,
              gint64        *queued_at,
              const char    *doing,
              GError       **error)
{
  g_autoptr(CcStoreStmt) stmt = NULL;

  if (merge_pending (self, change, newer_than, id, queued_at, doing, error))
    return TRUE;
  if (error != NULL && *error != NULL)
    return FALSE;

  stmt = cc_store_prepare (self, STMT_QUEUE_INSERT,
                           "INSERT INTO queue (workflow, mapping, key, op, payload, flags, queued_at)"
                           " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                           doing, error);
  if (stmt == NULL)
    return FALSE;
  bind_change (stmt, change);
  sqlite3_bind_int64 (stmt, 7, now);
  if (!cc_store_run (self, stmt, doing, error))
    return FALSE;
  *id = sqlite3_last_insert_rowid (self->db);
  *queued_at = now;
  return TRUE;
}

static gboolean
enqueue_one (CcStore      *self,
             const char   *workflow,
             guint         index,
             CcQueueItem  *item,
             gint64        now,
             const char   *doing,
             GError      **error)
{
  /* Refused here rather than by a critical: a bad record from a mapping is
   * a data problem, and the whole page must then roll back. */
  if (item == NULL || item->mapping == NULL || item->key == NULL)
    {
      g_set_error (error, CC_ERROR, CC_ERROR_FAILED,
                   "Could not %s in %s: record %u has no mapping or no key",
                   doing, self->path, index);
      return FALSE;
    }
  /* A change queued now is newer than any waiting row (newer_than -1). */
  return queue_change (self, &(Change) { workflow, item->mapping, item->key, item->op,
                                         item->payload, item->flags },
                       -1, now, &item->id, &item->queued_at, doing, error);
}

/* Saves the map changes of @batch, inside the caller's transaction. */
static gboolean
save_map_changes (CcStore       *self,
                  CcStoreBatch  *batch,
                  GError       **error)
{
  for (guint i = 0; batch != NULL && i < batch->map_changes->len; i++)
    {
      const CcStoreMapChange *change = g_ptr_array_index (batch->map_changes, i);

      if (!cc_store_map_set (self, change->space, change->key, change->value, error))
        return FALSE;
    }
  return TRUE;
}

gboolean
cc_store_enqueue (CcStore     *self,
                  const char  *workflow,
                  GPtrArray   *items,
                  const char  *cursor_name,
                  const char  *cursor_value,
                  GError     **error)
{
  return cc_store_enqueue_with_maps (self, workflow, items, cursor_name, cursor_value, NULL, error);
}

gboolean
cc_store_enqueue_with_maps (CcStore       *self,
                            const char    *workflow,
                            GPtrArray     *items,
                            const char    *cursor_name,
                            const char    *cursor_value,
                            CcStoreBatch  *maps,
                            GError       **error)
{
  const char *doing = "queue records";
  gint64 now = g_get_real_time ();
  gint64 max_id, inserted;
  guint n_items = items != NULL ? items->len : 0;

  g_return_val_if_fail (CC_IS_STORE (self), FALSE);
  g_return_val_if_fail (workflow != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!cc_store_begin (self, doing, error))
    return FALSE;
  if (!get_max_id (self, &max_id, doing, error))
    goto fail;
  for (guint i = 0; i < n_items; i++)
    if (!enqueue_one (self, workflow, i, g_ptr_array_index (items, i), now, doing, error))
      goto fail;
  if (!count_inserted (self, workflow, max_id, &inserted, doing, error) ||
      !save_map_changes (self, maps, error))
    goto fail;
  if (cursor_name != NULL &&
      !cc_store_write_cursor (self, workflow, cursor_name, cursor_value, doing, error))
    goto fail;
  if (!cc_store_commit (self, doing, error))
    goto fail_committed;
  return TRUE;

fail:
  cc_store_rollback (self);
fail_committed:
  /* Nothing was queued: ids handed out inside the transaction are void. */
  for (guint i = 0; i < n_items; i++)
    {
      CcQueueItem *item = g_ptr_array_index (items, i);

      if (item != NULL)
        item->id = 0;
    }
  return FALSE;
}

GPtrArray *
cc_store_lease (CcStore     *self,
                const char  *workflow,
                guint        max,
                GError     **error)
{
  const char *doing = "lease queued records";
  g_autoptr(CcStoreStmt) stmt = NULL;
  g_autoptr(GPtrArray) items = NULL;
  int rc;

  g_return_val_if_fail (CC_IS_STORE (self), NULL);
  g_return_val_if_fail (workflow != NULL, NULL);

  items = g_ptr_array_new_with_free_func ((GDestroyNotify) cc_queue_item_free);
  if (max == 0)
    return g_steal_pointer (&items);

  /* One statement in a transaction of its own (which takes the process's
   * write turn): two writers leasing at once get disjoint batches. */
  stmt = cc_store_prepare (self, STMT_QUEUE_LEASE,
                           "UPDATE queue SET leased = 1 WHERE id IN ("
                           "  SELECT q.id FROM queue AS q"
                           "  WHERE q.workflow = ?1 AND q.leased = 0"
                           "   AND NOT EXISTS (SELECT 1 FROM queue AS l"
                           "                   WHERE l.workflow = q.workflow"
                           "                    AND l.mapping = q.mapping"
                           "                    AND l.key = q.key"
                           "                    AND l.leased = 1)"
                           "  ORDER BY q.id LIMIT ?2)"
                           " RETURNING id, mapping, key, op, payload, flags, attempts, queued_at",
                           doing, error);
  if (stmt == NULL)
    return NULL;
  cc_store_bind_text (stmt, 1, workflow);
  sqlite3_bind_int64 (stmt, 2, max);
  if (!cc_store_begin (self, doing, error))
    return NULL;
  while ((rc = cc_store_step (self, stmt, doing, error)) == SQLITE_ROW)
    {
      CcQueueItem *item = g_new0 (CcQueueItem, 1);

      item->id = sqlite3_column_int64 (stmt, 0);
      item->mapping = cc_store_column_dup (stmt, 1);
      item->key = cc_store_column_dup (stmt, 2);
      item->op = (CcQueueOp) sqlite3_column_int (stmt, 3);
      item->payload = cc_store_column_dup (stmt, 4);
      item->flags = (guint) sqlite3_column_int64 (stmt, 5);
      item->attempts = (guint) sqlite3_column_int64 (stmt, 6);
      item->queued_at = sqlite3_column_int64 (stmt, 7);
      g_ptr_array_add (items, item);
    }
  cc_store_stmt_done (stmt);
  if (rc != SQLITE_DONE)
    {
      cc_store_rollback (self);
      return NULL;
    }
  if (!cc_store_commit (self, doing, error))
    return NULL;

  /* RETURNING gives rows in no promised order. */
  g_ptr_array_sort (items, compare_items);
  return g_steal_pointer (&items);
}

/* Gives one leased row back. If a newer change of the same record waits
 * behind it, the two become one: the leased row takes the newer op and
 * payload (flags OR'ed) and keeps its older place in line, and the newer
 * row goes. */
static gboolean
release_one (CcStore     *self,
             gint64       id,
             GHashTable  *tally,
             const char  *doing,
             GError     **error)
{
  g_autoptr(CcStoreStmt) merge = NULL;
  g_autoptr(CcStoreStmt) drop = NULL;
  g_autoptr(CcStoreStmt) release = NULL;

  merge = cc_store_prepare (self, STMT_QUEUE_MERGE_ONE,
                            "UPDATE queue AS l SET"
                            "  op = p.op, payload = p.payload, flags = l.flags | p.flags"
                            " FROM queue AS p"
                            " WHERE l.id = ?1 AND l.leased = 1"
                            "  AND p.workflow = l.workflow AND p.mapping = l.mapping"
                            "  AND p.key = l.key AND p.leased = 0",
                            doing, error);
  drop = cc_store_prepare (self, STMT_QUEUE_DROP_MERGED_ONE,
                           "DELETE FROM queue WHERE leased = 0 AND id IN ("
                           "  SELECT p.id FROM queue AS l JOIN queue AS p"
                           "   ON p.workflow = l.workflow AND p.mapping = l.mapping"
                           "   AND p.key = l.key AND p.leased = 0"
                           "  WHERE l.id = ?1 AND l.leased = 1)"
                           " RETURNING workflow",
                           doing, error);
  release = cc_store_prepare (self, STMT_QUEUE_RELEASE_ONE,
                              "UPDATE queue SET leased = 0, attempts = attempts + 1"
                              " WHERE id = ?1 AND leased = 1",
                              doing, error);
  if (merge == NULL || drop == NULL || release == NULL)
    return FALSE;
  sqlite3_bind_int64 (merge, 1, id);
  sqlite3_bind_int64 (drop, 1, id);
  sqlite3_bind_int64 (release, 1, id);
  return cc_store_run (self, merge, doing, error) &&
         run_and_tally (self, drop, tally, doing, error) &&
         cc_store_run (self, release, doing, error);
}

gboolean
cc_store_release_all (CcStore     *self,
                      const char  *workflow,
                      GError     **error)
{
  const char *doing = "give back leased records";
  g_autoptr(CcStoreStmt) merge = NULL;
  g_autoptr(CcStoreStmt) drop = NULL;
  g_autoptr(CcStoreStmt) release = NULL;
  gint64 dropped;

  g_return_val_if_fail (CC_IS_STORE (self), FALSE);
  g_return_val_if_fail (workflow != NULL, FALSE);

  /* As release_one(), for every lease of @workflow. attempts stays: a
   * lease left by a dead run says nothing about whether the write failed. */
  merge = cc_store_prepare (self, STMT_QUEUE_MERGE_ALL,
                            "UPDATE queue AS l SET"
                            "  op = p.op, payload = p.payload, flags = l.flags | p.flags"
                            " FROM queue AS p"
                            " WHERE l.workflow = ?1 AND l.leased = 1"
                            "  AND p.workflow = l.workflow AND p.mapping = l.mapping"
                            "  AND p.key = l.key AND p.leased = 0",
                            doing, error);
  /* Driven by the (few) leased rows, not by the (maybe millions of)
   * waiting ones. */
  drop = cc_store_prepare (self, STMT_QUEUE_DROP_MERGED_ALL,
                           "DELETE FROM queue WHERE leased = 0 AND id IN ("
                           "  SELECT p.id FROM queue AS l JOIN queue AS p"
                           "   ON p.workflow = l.workflow AND p.mapping = l.mapping"
                           "   AND p.key = l.key AND p.leased = 0"
                           "  WHERE l.workflow = ?1 AND l.leased = 1)",
                           doing, error);
  release = cc_store_prepare (self, STMT_QUEUE_RELEASE_ALL,
                              "UPDATE queue SET leased = 0 WHERE workflow = ?1 AND leased = 1",
                              doing, error);
  if (merge == NULL || drop == NULL || release == NULL)
    return FALSE;
  cc_store_bind_text (merge, 1, workflow);
  cc_store_bind_text (drop, 1, workflow);
  cc_store_bind_text (release, 1, workflow);

  if (!cc_store_begin (self, doing, error))
    return FALSE;
  if (!cc_store_run (self, merge, doing, error) ||
      !cc_store_run (self, drop, doing, error))
    goto fail;
  dropped = sqlite3_changes64 (self->db);
  if (!cc_store_run (self, release, doing, error) ||
      !adjust_backlog (self, workflow, -dropped, doing, error))
    goto fail;
  return cc_store_commit (self, doing, error);

fail:
  cc_store_rollback (self);
  return FALSE;
}

/* Removes one written item, and the error-log entries of the same record
 * that its write supersedes. */
static gboolean
ack_one (CcStore     *self,
         gint64       id,
         GHashTable  *tally,
         const char  *doing,
         GError     **error)
{
  g_autoptr(CcStoreStmt) ack = NULL;
  g_autoptr(CcStoreStmt) superseded = NULL;
  int rc;

  /* Only a leased row: an ack that comes after its lease was cleared
   * (by release_all) must not drop a record that may be changed and
   * waiting again; the worst it costs is one more write. */
  ack = cc_store_prepare (self, STMT_QUEUE_ACK,
                          "DELETE FROM queue WHERE id = ?1 AND leased = 1"
                          " RETURNING workflow, mapping, key",
                          doing, error);
  superseded = cc_store_prepare (self, STMT_ERRORS_SUPERSEDED,
                                 "DELETE FROM errors"
                                 " WHERE workflow = ?1 AND mapping = ?2 AND key = ?3",
                                 doing, error);
  if (ack == NULL || superseded == NULL)
    return FALSE;
  sqlite3_bind_int64 (ack, 1, id);
  rc = cc_store_step (self, ack, doing, error);
  if (rc == SQLITE_DONE)
    return TRUE;
  if (rc != SQLITE_ROW)
    return FALSE;

  tally_one (tally, (const char *) sqlite3_column_text (ack, 0));
  /* sqlite3_bind_value() copies the record's workflow, mapping and key. */
  sqlite3_bind_value (superseded, 1, sqlite3_column_value (ack, 0));
  sqlite3_bind_value (superseded, 2, sqlite3_column_value (ack, 1));
  sqlite3_bind_value (superseded, 3, sqlite3_column_value (ack, 2));
  return cc_store_run (self, superseded, doing, error) &&
         cc_store_run (self, ack, doing, error);
}

/* Moves one leased item to the error log. An item no longer leased (its
 * lease was cleared meanwhile) stays where it is. */
static gboolean
fail_one (CcStore               *self,
          const CcStoreFailure  *failure,
          GHashTable            *tally,
          const char            *doing,
          GError               **error)
{
  g_autoptr(CcStoreStmt) copy = NULL;
  g_autoptr(CcStoreStmt) delete = NULL;

  copy = cc_store_prepare (self, STMT_FAIL_COPY,
                           "INSERT INTO errors (workflow, mapping, key, op, payload, flags,"
                           "                    http_status, reason, failed_at)"
                           " SELECT workflow, mapping, key, op, payload, flags, ?2, ?3, ?4"
                           " FROM queue WHERE id = ?1 AND leased = 1",
                           doing, error);
  delete = cc_store_prepare (self, STMT_FAIL_DELETE,
                             "DELETE FROM queue WHERE id = ?1 AND leased = 1 RETURNING workflow",
                             doing, error);
  if (copy == NULL || delete == NULL)
    return FALSE;
  sqlite3_bind_int64 (copy, 1, failure->id);
  sqlite3_bind_int64 (copy, 2, failure->http_status);
  cc_store_bind_text (copy, 3, failure->reason);
  sqlite3_bind_int64 (copy, 4, g_get_real_time ());
  sqlite3_bind_int64 (delete, 1, failure->id);
  return cc_store_run (self, copy, doing, error) &&
         run_and_tally (self, delete, tally, doing, error);
}

gboolean
cc_store_settle (CcStore       *self,
                 CcStoreBatch  *batch,
                 GError       **error)
{
  const char *doing = "settle written records";
  g_autoptr(GHashTable) tally = NULL;

  g_return_val_if_fail (CC_IS_STORE (self), FALSE);
  g_return_val_if_fail (batch != NULL, FALSE);

  if (batch->done->len == 0 && batch->again->len == 0 && batch->failures->len == 0 &&
      batch->map_changes->len == 0 && batch->written == 0)
    return TRUE;

  tally = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  if (!cc_store_begin (self, doing, error))
    return FALSE;
  if (!save_map_changes (self, batch, error))
    goto fail;
  for (guint i = 0; i < batch->done->len; i++)
    if (!ack_one (self, g_array_index (batch->done, gint64, i), tally, doing, error))
      goto fail;
  for (guint i = 0; i < batch->failures->len; i++)
    if (!fail_one (self, g_ptr_array_index (batch->failures, i), tally, doing, error))
      goto fail;
  for (guint i = 0; i < batch->again->len; i++)
    if (!release_one (self, g_array_index (batch->again, gint64, i), tally, doing, error))
      goto fail;
  if (!remove_from_backlog (self, tally, doing, error))
    goto fail;
  if ((batch->written > 0 || batch->failures->len > 0) &&
      !cc_store_add_counts (self, batch->workflow, batch->written, batch->failures->len, error))
    goto fail;
  return cc_store_commit (self, doing, error);

fail:
  cc_store_rollback (self);
  return FALSE;
}

guint64
cc_store_count_backlog (CcStore     *self,
                        const char  *workflow,
                        GError     **error)
{
  const char *doing = "count the backlog";
  g_autoptr(CcStoreStmt) stmt = NULL;
  int rc;

  g_return_val_if_fail (CC_IS_STORE (self), 0);
  g_return_val_if_fail (workflow != NULL, 0);

  stmt = cc_store_prepare (self, STMT_BACKLOG_GET,
                           "SELECT n FROM backlog WHERE workflow = ?1", doing, error);
  if (stmt == NULL)
    return 0;
  cc_store_bind_text (stmt, 1, workflow);
  rc = cc_store_step (self, stmt, doing, error);
  return rc == SQLITE_ROW ? (guint64) sqlite3_column_int64 (stmt, 0) : 0;
}

gboolean
cc_store_clear_queue (CcStore     *self,
                      const char  *workflow,
                      GError     **error)
{
  const char *doing = "clear the queue";
  g_autoptr(CcStoreStmt) clear = NULL;
  g_autoptr(CcStoreStmt) zero = NULL;

  g_return_val_if_fail (CC_IS_STORE (self), FALSE);
  g_return_val_if_fail (workflow != NULL, FALSE);

  clear = cc_store_prepare (self, STMT_QUEUE_CLEAR,
                            "DELETE FROM queue WHERE workflow = ?1", doing, error);
  zero = cc_store_prepare (self, STMT_BACKLOG_CLEAR,
                           "DELETE FROM backlog WHERE workflow = ?1", doing, error);
  if (clear == NULL || zero == NULL)
    return FALSE;
  cc_store_bind_text (clear, 1, workflow);
  cc_store_bind_text (zero, 1, workflow);

  if (!cc_store_begin (self, doing, error))
    return FALSE;
  if (!cc_store_run (self, clear, doing, error) ||
      !cc_store_run (self, zero, doing, error))
    {
      cc_store_rollback (self);
      return FALSE;
    }
  return cc_store_commit (self, doing, error);
}

/* --- error log --------------------------------------------------------- */

guint64
cc_store_count_errors (CcStore     *self,
                       const char  *workflow,
                       GError     **error)
{
  const char *doing = "count the error log";
  g_autoptr(CcStoreStmt) stmt = NULL;
  int rc;

  g_return_val_if_fail (CC_IS_STORE (self), 0);
  g_return_val_if_fail (workflow != NULL, 0);

  stmt = cc_store_prepare (self, STMT_ERRORS_COUNT,
                           "SELECT COUNT (*) FROM errors WHERE workflow = ?1", doing, error);
  if (stmt == NULL)
    return 0;
  cc_store_bind_text (stmt, 1, workflow);
  rc = cc_store_step (self, stmt, doing, error);
  return rc == SQLITE_ROW ? (guint64) sqlite3_column_int64 (stmt, 0) : 0;
}

GPtrArray *
cc_store_list_errors (CcStore     *self,
                      const char  *workflow,
                      guint        offset,
                      guint        limit,
                      GError     **error)
{
  const char *doing = "read the error log";
  g_autoptr(CcStoreStmt) stmt = NULL;
  g_autoptr(GPtrArray) entries = NULL;
  int rc;

  g_return_val_if_fail (CC_IS_STORE (self), NULL);
  g_return_val_if_fail (workflow != NULL, NULL);

  stmt = cc_store_prepare (self, STMT_ERRORS_LIST,
                           "SELECT id, mapping, key, op, payload, flags, http_status, reason, failed_at"
                           " FROM errors WHERE workflow = ?1 ORDER BY id DESC LIMIT ?2 OFFSET ?3",
                           doing, error);
  if (stmt == NULL)
    return NULL;
  cc_store_bind_text (stmt, 1, workflow);
  /* A negative LIMIT means none. */
  sqlite3_bind_int64 (stmt, 2, limit > 0 ? (sqlite3_int64) limit : -1);
  sqlite3_bind_int64 (stmt, 3, offset);

  entries = g_ptr_array_new_with_free_func ((GDestroyNotify) cc_error_entry_free);
  while ((rc = cc_store_step (self, stmt, doing, error)) == SQLITE_ROW)
    {
      CcErrorEntry *entry = g_new0 (CcErrorEntry, 1);

      entry->id = sqlite3_column_int64 (stmt, 0);
      entry->mapping = cc_store_column_dup (stmt, 1);
      entry->key = cc_store_column_dup (stmt, 2);
      entry->op = (CcQueueOp) sqlite3_column_int (stmt, 3);
      entry->payload = cc_store_column_dup (stmt, 4);
      entry->flags = (guint) sqlite3_column_int64 (stmt, 5);
      entry->http_status = (guint) sqlite3_column_int64 (stmt, 6);
      entry->reason = cc_store_column_dup (stmt, 7);
      entry->failed_at = sqlite3_column_int64 (stmt, 8);
      g_ptr_array_add (entries, entry);
    }
  if (rc != SQLITE_DONE)
    return NULL;
  return g_steal_pointer (&entries);
}

gint64
cc_store_retry_errors (CcStore     *self,
                       const char  *workflow,
                       gint64       id,
                       GError     **error)
{
  const char *doing = "retry records from the error log";
  g_autoptr(CcStoreStmt) entries = NULL;
  g_autoptr(CcStoreStmt) delete = NULL;
  gint64 now = g_get_real_time ();
  gint64 max_id, inserted, moved;
  int rc;

  g_return_val_if_fail (CC_IS_STORE (self), -1);
  g_return_val_if_fail (workflow != NULL, -1);

  /* Entries go back in the order they failed, as new rows at the end of
   * the queue with attempts 0. Two rules decide which payload survives
   * when entries meet a waiting row of the same record:
   * - a row that was waiting before the retry is newer than any error
   *   entry (it was queued after that entry's record was leased), so it
   *   keeps its payload and only takes the entry's flags;
   * - among entries of one record, the later failure is the newer one.
   * The highest id before the retry tells the two kinds of row apart. */
  entries = cc_store_prepare (self, STMT_ERRORS_REQUEUE,
                              "SELECT mapping, key, op, payload, flags FROM errors"
                              " WHERE workflow = ?1 AND (?2 = 0 OR id = ?2) ORDER BY id",
                              doing, error);
  delete = cc_store_prepare (self, STMT_ERRORS_DELETE,
                             "DELETE FROM errors WHERE workflow = ?1 AND (?2 = 0 OR id = ?2)",
                             doing, error);
  if (entries == NULL || delete == NULL)
    return -1;

  if (!cc_store_begin (self, doing, error))
    return -1;
  if (!get_max_id (self, &max_id, doing, error))
    goto fail;
  cc_store_bind_text (entries, 1, workflow);
  sqlite3_bind_int64 (entries, 2, id);
  while ((rc = cc_store_step (self, entries, doing, error)) == SQLITE_ROW)
    {
      const Change change = {
        workflow,
        (const char *) sqlite3_column_text (entries, 0),
        (const char *) sqlite3_column_text (entries, 1),
        (CcQueueOp) sqlite3_column_int (entries, 2),
        (const char *) sqlite3_column_text (entries, 3),
        (guint) sqlite3_column_int64 (entries, 4),
      };
      gint64 row_id, queued_at;

      if (!queue_change (self, &change, max_id, now, &row_id, &queued_at, doing, error))
        goto fail;
    }
  if (rc != SQLITE_DONE)
    goto fail;
  cc_store_stmt_done (entries);
  cc_store_bind_text (delete, 1, workflow);
  sqlite3_bind_int64 (delete, 2, id);
  if (!cc_store_run (self, delete, doing, error))
    goto fail;
  moved = sqlite3_changes64 (self->db);
  if (!count_inserted (self, workflow, max_id, &inserted, doing, error))
    goto fail;
  if (!cc_store_commit (self, doing, error))
    return -1;
  return moved;

fail:
  cc_store_rollback (self);
  return -1;
}
