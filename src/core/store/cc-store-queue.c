/* cc-store-queue.c — the durable queue of CcStore.
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
 *
 * What a writer settles about its lease is in cc-store-settle.c, the
 * error log in cc-store-errors.c.
 */
#include "config.h"

#include "cc-error.h"
#include "cc-store-private.h"

/* --- backlog bookkeeping ----------------------------------------------- */

gboolean
cc_store_adjust_backlog (CcStore     *self,
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

gboolean
cc_store_queue_max_id (CcStore     *self,
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

gboolean
cc_store_queue_count_inserted (CcStore     *self,
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
  return cc_store_adjust_backlog (self, workflow, *inserted, doing, error);
}

/* --- queue ------------------------------------------------------------- */

static void
bind_change (CcStoreStmt         *stmt,
             const CcStoreChange *change)
{
  cc_store_bind_text (stmt, 1, change->workflow);
  cc_store_bind_text (stmt, 2, change->mapping);
  cc_store_bind_text (stmt, 3, change->key);
  sqlite3_bind_int (stmt, 4, (int) change->op);
  cc_store_bind_text (stmt, 5, change->payload);
  sqlite3_bind_int64 (stmt, 6, change->flags);
}

/* The rows of the change's record: TRUE with the id and queued_at of
 * its waiting row when there is one; *@leased says whether one of them
 * is leased. */
static gboolean
find_rows (CcStore              *self,
           const CcStoreChange  *change,
           gint64               *id,
           gint64               *queued_at,
           gboolean             *leased,
           const char           *doing,
           GError              **error)
{
  g_autoptr(CcStoreStmt) stmt = NULL;
  gboolean waiting = FALSE;
  int rc;

  *leased = FALSE;
  stmt = cc_store_prepare (self, STMT_QUEUE_FIND_PENDING,
                           "SELECT id, queued_at, leased FROM queue"
                           " WHERE workflow = ?1 AND mapping = ?2 AND key = ?3",
                           doing, error);
  if (stmt == NULL)
    return FALSE;
  cc_store_bind_text (stmt, 1, change->workflow);
  cc_store_bind_text (stmt, 2, change->mapping);
  cc_store_bind_text (stmt, 3, change->key);
  while ((rc = cc_store_step (self, stmt, doing, error)) == SQLITE_ROW)
    {
      if (sqlite3_column_int (stmt, 2) != 0)
        {
          *leased = TRUE;
          continue;
        }
      waiting = TRUE;
      *id = sqlite3_column_int64 (stmt, 0);
      *queued_at = sqlite3_column_int64 (stmt, 1);
    }
  return waiting && rc == SQLITE_DONE;
}

/* Replace-newer for the waiting row of the change's record, if there is
 * one: it takes the change's flags, and its op and payload too unless it
 * is as old as @newer_than or older (then it is the newer change and
 * keeps them). TRUE with *@id and *@queued_at of the row when there was
 * one; else *@leased says whether the record has a leased row. The row
 * is looked for first, and changed by its id: most changes have none (a
 * first load never), and an UPDATE … RETURNING would set up a table for
 * its answer each time all the same. */
static gboolean
merge_pending (CcStore              *self,
               const CcStoreChange  *change,
               gint64                newer_than,
               gint64               *id,
               gint64               *queued_at,
               gboolean             *leased,
               const char           *doing,
               GError              **error)
{
  g_autoptr(CcStoreStmt) stmt = NULL;

  *id = 0;
  if (!find_rows (self, change, id, queued_at, leased, doing, error))
    return FALSE;
  stmt = cc_store_prepare (self, STMT_QUEUE_MERGE_PENDING,
                           "UPDATE queue SET"
                           "  op = CASE WHEN id > ?3 THEN ?1 ELSE op END,"
                           "  payload = CASE WHEN id > ?3 THEN ?2 ELSE payload END,"
                           "  flags = flags | ?4"
                           " WHERE id = ?5",
                           doing, error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int (stmt, 1, (int) change->op);
  cc_store_bind_text (stmt, 2, change->payload);
  sqlite3_bind_int64 (stmt, 3, newer_than);
  sqlite3_bind_int64 (stmt, 4, change->flags);
  sqlite3_bind_int64 (stmt, 5, *id);
  if (cc_store_run (self, stmt, doing, error))
    return TRUE;
  *id = 0;
  return FALSE;
}

gboolean
cc_store_queue_change (CcStore              *self,
                       const CcStoreChange  *change,
                       gint64                newer_than,
                       gint64                now,
                       gint64               *id,
                       gint64               *queued_at,
                       const char           *doing,
                       GError              **error)
{
  g_autoptr(CcStoreStmt) stmt = NULL;
  gboolean leased;

  if (merge_pending (self, change, newer_than, id, queued_at, &leased, doing, error))
    return TRUE;
  if (error != NULL && *error != NULL)
    return FALSE;

  /* A row queued behind a leased one of its record is marked: the lease
   * passes over it until that one is settled (cc_store_lease()). */
  stmt = cc_store_prepare (self, STMT_QUEUE_INSERT,
                           "INSERT INTO queue (workflow, mapping, key, op, payload, flags,"
                           "                   queued_at, behind)"
                           " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                           doing, error);
  if (stmt == NULL)
    return FALSE;
  bind_change (stmt, change);
  sqlite3_bind_int64 (stmt, 7, now);
  sqlite3_bind_int (stmt, 8, leased ? 1 : 0);
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
  return cc_store_queue_change (self, &(CcStoreChange) { workflow, item->mapping, item->key,
                                                        item->op, item->payload, item->flags },
                                -1, now, &item->id, &item->queued_at, doing, error);
}

gboolean
cc_store_save_map_changes (CcStore       *self,
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
  if (!cc_store_queue_max_id (self, &max_id, doing, error))
    goto fail;
  for (guint i = 0; i < n_items; i++)
    if (!enqueue_one (self, workflow, i, g_ptr_array_index (items, i), now, doing, error))
      goto fail;
  if (!cc_store_queue_count_inserted (self, workflow, max_id, &inserted, doing, error) ||
      !cc_store_save_map_changes (self, maps, error))
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

/* A waiting row of @workflow that may be leased: one whose record has no
 * leased row. Only a row marked when it was queued behind a leased one
 * (cc_store_queue_change()) can have one, so only those are looked up. */
#define LEASABLE \
  " workflow = ?1 AND leased = 0" \
  " AND (behind = 0 OR NOT EXISTS (SELECT 1 FROM queue AS l" \
  "                                WHERE l.workflow = queue.workflow" \
  "                                 AND l.mapping = queue.mapping" \
  "                                 AND l.key = queue.key AND l.leased = 1))"

/* Reads the next @max leasable rows of @workflow, in line. */
static gboolean
read_leasable (CcStore     *self,
               const char  *workflow,
               guint        max,
               GPtrArray   *items,
               const char  *doing,
               GError     **error)
{
  g_autoptr(CcStoreStmt) stmt = NULL;
  int rc;

  stmt = cc_store_prepare (self, STMT_QUEUE_LEASE,
                           "SELECT id, mapping, key, op, payload, flags, attempts, queued_at"
                           " FROM queue WHERE" LEASABLE " ORDER BY id LIMIT ?2",
                           doing, error);
  if (stmt == NULL)
    return FALSE;
  cc_store_bind_text (stmt, 1, workflow);
  sqlite3_bind_int64 (stmt, 2, max);
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
  return rc == SQLITE_DONE;
}

/* Leases the rows read_leasable() read: the leasable rows from the first
 * to the last of them are exactly those, as nothing changed in between
 * (the same transaction). By range rather than by id, and without
 * RETURNING: SQLite would set up a table for either on each lease. */
static gboolean
mark_leased (CcStore     *self,
             const char  *workflow,
             GPtrArray   *items,
             const char  *doing,
             GError     **error)
{
  g_autoptr(CcStoreStmt) stmt = NULL;

  stmt = cc_store_prepare (self, STMT_QUEUE_MARK_LEASED,
                           "UPDATE queue SET leased = 1"
                           " WHERE" LEASABLE " AND id BETWEEN ?2 AND ?3",
                           doing, error);
  if (stmt == NULL)
    return FALSE;
  cc_store_bind_text (stmt, 1, workflow);
  sqlite3_bind_int64 (stmt, 2, ((CcQueueItem *) g_ptr_array_index (items, 0))->id);
  sqlite3_bind_int64 (stmt, 3, ((CcQueueItem *) g_ptr_array_index (items, items->len - 1))->id);
  if (!cc_store_run (self, stmt, doing, error))
    return FALSE;
  if (sqlite3_changes (self->db) == (int) items->len)
    return TRUE;
  /* Never seen: it would take a change inside the write transaction. */
  g_set_error (error, CC_ERROR, CC_ERROR_FAILED,
               "Could not %s in %s: %d of %u records were leased",
               doing, self->path, sqlite3_changes (self->db), items->len);
  return FALSE;
}

GPtrArray *
cc_store_lease (CcStore     *self,
                const char  *workflow,
                guint        max,
                GError     **error)
{
  const char *doing = "lease queued records";
  g_autoptr(GPtrArray) items = NULL;

  g_return_val_if_fail (CC_IS_STORE (self), NULL);
  g_return_val_if_fail (workflow != NULL, NULL);

  items = g_ptr_array_new_with_free_func ((GDestroyNotify) cc_queue_item_free);
  if (max == 0)
    return g_steal_pointer (&items);

  /* In a transaction of its own (which takes the process's write turn):
   * two writers leasing at once get disjoint batches. */
  if (!cc_store_begin (self, doing, error))
    return NULL;
  if (!read_leasable (self, workflow, max, items, doing, error) ||
      (items->len > 0 && !mark_leased (self, workflow, items, doing, error)))
    {
      cc_store_rollback (self);
      return NULL;
    }
  if (!cc_store_commit (self, doing, error))
    return NULL;
  return g_steal_pointer (&items);
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

  /* As release_one() in cc-store-settle.c, for every lease of @workflow. attempts stays: a
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
      !cc_store_adjust_backlog (self, workflow, -dropped, doing, error))
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
cc_store_has_queued (CcStore     *self,
                     const char  *workflow,
                     const char  *mapping,
                     const char  *key,
                     guint        flags,
                     gboolean    *found,
                     GError     **error)
{
  const char *doing = "look for a record in the queue";
  g_autoptr(CcStoreStmt) stmt = NULL;

  g_return_val_if_fail (CC_IS_STORE (self), FALSE);
  g_return_val_if_fail (workflow != NULL && mapping != NULL, FALSE);
  g_return_val_if_fail (found != NULL, FALSE);

  /* Two statements, so that a record's is found by the index. */
  if (key != NULL)
    stmt = cc_store_prepare (self, STMT_QUEUE_HAS_RECORD,
                             "SELECT EXISTS (SELECT 1 FROM queue WHERE workflow = ?1"
                             " AND mapping = ?2 AND key = ?3 AND (?4 = 0 OR (flags & ?4) != 0))",
                             doing, error);
  else
    stmt = cc_store_prepare (self, STMT_QUEUE_HAS_FLAGGED,
                             "SELECT EXISTS (SELECT 1 FROM queue WHERE workflow = ?1"
                             " AND mapping = ?2 AND (?4 = 0 OR (flags & ?4) != 0))",
                             doing, error);
  if (stmt == NULL)
    return FALSE;
  cc_store_bind_text (stmt, 1, workflow);
  cc_store_bind_text (stmt, 2, mapping);
  if (key != NULL)
    cc_store_bind_text (stmt, 3, key);
  sqlite3_bind_int64 (stmt, 4, flags);
  if (cc_store_step (self, stmt, doing, error) != SQLITE_ROW)
    return FALSE;
  *found = sqlite3_column_int64 (stmt, 0) != 0;
  return TRUE;
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
