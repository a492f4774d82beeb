/* cc-store-settle.c — settling a writer's lease: what the writer settled
 * about each item, gathered in memory (CcStoreBatch), and
 * cc_store_settle(), which commits all of it in one transaction.
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

/* --- settling ---------------------------------------------------------- */

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
    if (!cc_store_adjust_backlog (self, key, -(gint64) GPOINTER_TO_SIZE (value), doing, error))
      return FALSE;
  return TRUE;
}

/* Counts @n removed rows of @workflow in @tally. */
static void
tally_add (GHashTable *tally,
           const char *workflow,
           gsize       n)
{
  n += GPOINTER_TO_SIZE (g_hash_table_lookup (tally, workflow));
  g_hash_table_replace (tally, g_strdup (workflow), GSIZE_TO_POINTER (n));
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
    tally_add (tally, (const char *) sqlite3_column_text (stmt, 0), 1);
  return rc == SQLITE_DONE;
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

/* Whether the error log holds anything at all. */
static gboolean
any_errors (CcStore     *self,
            gboolean    *any,
            const char  *doing,
            GError     **error)
{
  g_autoptr(CcStoreStmt) stmt = NULL;

  stmt = cc_store_prepare (self, STMT_ERRORS_ANY, "SELECT EXISTS (SELECT 1 FROM errors)",
                           doing, error);
  if (stmt == NULL || cc_store_step (self, stmt, doing, error) != SQLITE_ROW)
    return FALSE;
  *any = sqlite3_column_int (stmt, 0) != 0;
  return TRUE;
}

/* The error-log entries of the record of @ack's current row, which its
 * write supersedes. */
static gboolean
drop_superseded (CcStore      *self,
                 CcStoreStmt  *ack,
                 const char   *doing,
                 GError      **error)
{
  g_autoptr(CcStoreStmt) superseded = NULL;

  superseded = cc_store_prepare (self, STMT_ERRORS_SUPERSEDED,
                                 "DELETE FROM errors"
                                 " WHERE workflow = ?1 AND mapping = ?2 AND key = ?3",
                                 doing, error);
  if (superseded == NULL)
    return FALSE;
  /* sqlite3_bind_value() copies the record's workflow, mapping and key. */
  sqlite3_bind_value (superseded, 1, sqlite3_column_value (ack, 0));
  sqlite3_bind_value (superseded, 2, sqlite3_column_value (ack, 1));
  sqlite3_bind_value (superseded, 3, sqlite3_column_value (ack, 2));
  return cc_store_run (self, superseded, doing, error);
}

/* The ids of @done as a JSON array, for json_each(). */
static char *
ids_as_json (GArray *done)
{
  GString *ids = g_string_sized_new (done->len * 8 + 2);

  g_string_append_c (ids, '[');
  for (guint i = 0; i < done->len; i++)
    g_string_append_printf (ids, i > 0 ? ",%" G_GINT64_FORMAT : "%" G_GINT64_FORMAT,
                            g_array_index (done, gint64, i));
  g_string_append_c (ids, ']');
  return g_string_free (ids, FALSE);
}

#define ACK_SQL \
  "DELETE FROM queue WHERE workflow = ?2" \
  " AND leased = 1 AND id IN (SELECT value FROM json_each (?1))"

/* Removes the written items @ids of @workflow, with one statement for all
 * of them, and counts them in @tally; with @superseding, the error-log
 * entries of the same records too, which their writes supersede. */
static gboolean
ack_ids (CcStore     *self,
         const char  *workflow,
         const char  *ids,
         gboolean     superseding,
         GHashTable  *tally,
         const char  *doing,
         GError     **error)
{
  g_autoptr(CcStoreStmt) ack = NULL;
  gsize n = 0;
  int rc;

  if (superseding)
    ack = cc_store_prepare (self, STMT_QUEUE_ACK_SUPERSEDING,
                            ACK_SQL " RETURNING workflow, mapping, key", doing, error);
  else
    ack = cc_store_prepare (self, STMT_QUEUE_ACK, ACK_SQL, doing, error);
  if (ack == NULL)
    return FALSE;
  cc_store_bind_text (ack, 1, ids);
  cc_store_bind_text (ack, 2, workflow);
  while ((rc = cc_store_step (self, ack, doing, error)) == SQLITE_ROW)
    {
      n++;
      if (!drop_superseded (self, ack, doing, error))
        return FALSE;
    }
  if (rc != SQLITE_DONE)
    return FALSE;
  tally_add (tally, workflow, superseding ? n : (gsize) sqlite3_changes (self->db));
  return TRUE;
}

/* Removes the written items. Only leased rows: an ack that comes after
 * its lease was cleared (by release_all) must not drop a record that may
 * be changed and waiting again; the worst it costs is one more write. A
 * DELETE … RETURNING sets up a table for its answer each time it runs:
 * it is needed only for the records' error-log entries, and when the
 * error log is empty (as on a first load that goes well) a written record
 * supersedes none. */
static gboolean
ack_all (CcStore     *self,
         const char  *workflow,
         GArray      *done,
         GHashTable  *tally,
         const char  *doing,
         GError     **error)
{
  g_autofree char *ids = NULL;
  gboolean superseding = TRUE;

  if (done->len == 0)
    return TRUE;
  if (!any_errors (self, &superseding, doing, error))
    return FALSE;
  ids = ids_as_json (done);
  return ack_ids (self, workflow, ids, superseding, tally, doing, error);
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
  if (!cc_store_save_map_changes (self, batch, error) ||
      !ack_all (self, batch->workflow, batch->done, tally, doing, error))
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
