/* cc-store-errors.c — the error log of CcStore: the records a target
 * refused for good, with the reason, until they are retried.
 *
 * A record gets here when its writer settles it as failed
 * (cc_store_settle() in cc-store-settle.c) and leaves when a write of the
 * same record succeeds, or when it is retried: then it goes back to the
 * end of the queue. Every query takes a CcErrorFilter: one entry, one
 * reason, one record, or what a search finds.
 */
#include "config.h"

#include "cc-error.h"
#include "cc-store-private.h"

/* The entries of workflow ?1 that a CcErrorFilter matches (bound by
 * bind_filter()). */
#define MATCHING \
  " workflow = ?1 AND (?2 = 0 OR id = ?2) AND (?3 IS NULL OR reason = ?3)" \
  " AND (?4 IS NULL OR key = ?4)" \
  " AND (?5 IS NULL OR instr (lower (reason), ?5) > 0 OR instr (lower (key), ?5) > 0" \
  "      OR instr (lower (mapping), ?5) > 0)"

static void
bind_filter (CcStoreStmt         *stmt,
             const char          *workflow,
             const CcErrorFilter *filter)
{
  const char *search = filter != NULL ? filter->search : NULL;

  cc_store_bind_text (stmt, 1, workflow);
  sqlite3_bind_int64 (stmt, 2, filter != NULL ? filter->id : 0);
  if (filter != NULL && filter->reason != NULL)
    cc_store_bind_text (stmt, 3, filter->reason);
  else
    sqlite3_bind_null (stmt, 3);
  if (filter != NULL && filter->key != NULL)
    cc_store_bind_text (stmt, 4, filter->key);
  else
    sqlite3_bind_null (stmt, 4);
  /* SQLite's lower() folds ASCII letters only: so does the search. */
  if (search != NULL && *search != '\0')
    sqlite3_bind_text (stmt, 5, g_ascii_strdown (search, -1), -1, g_free);
  else
    sqlite3_bind_null (stmt, 5);
}

guint64
cc_store_count_errors_matching (CcStore             *self,
                                const char          *workflow,
                                const CcErrorFilter *filter,
                                GError             **error)
{
  const char *doing = "count the error log";
  g_autoptr(CcStoreStmt) stmt = NULL;
  int rc;

  g_return_val_if_fail (CC_IS_STORE (self), 0);
  g_return_val_if_fail (workflow != NULL, 0);

  stmt = cc_store_prepare (self, STMT_ERRORS_COUNT,
                           "SELECT COUNT (*) FROM errors WHERE" MATCHING, doing, error);
  if (stmt == NULL)
    return 0;
  bind_filter (stmt, workflow, filter);
  rc = cc_store_step (self, stmt, doing, error);
  return rc == SQLITE_ROW ? (guint64) sqlite3_column_int64 (stmt, 0) : 0;
}

guint64
cc_store_count_errors (CcStore     *self,
                       const char  *workflow,
                       GError     **error)
{
  return cc_store_count_errors_matching (self, workflow, NULL, error);
}

static CcErrorEntry *
read_entry (CcStoreStmt *stmt)
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
  return entry;
}

GPtrArray *
cc_store_list_errors_matching (CcStore             *self,
                               const char          *workflow,
                               const CcErrorFilter *filter,
                               guint                offset,
                               guint                limit,
                               GError             **error)
{
  const char *doing = "read the error log";
  g_autoptr(CcStoreStmt) stmt = NULL;
  g_autoptr(GPtrArray) entries = NULL;
  int rc;

  g_return_val_if_fail (CC_IS_STORE (self), NULL);
  g_return_val_if_fail (workflow != NULL, NULL);

  stmt = cc_store_prepare (self, STMT_ERRORS_LIST,
                           "SELECT id, mapping, key, op, payload, flags, http_status, reason, failed_at"
                           " FROM errors WHERE" MATCHING " ORDER BY id DESC LIMIT ?6 OFFSET ?7",
                           doing, error);
  if (stmt == NULL)
    return NULL;
  bind_filter (stmt, workflow, filter);
  /* A negative LIMIT means none. */
  sqlite3_bind_int64 (stmt, 6, limit > 0 ? (sqlite3_int64) limit : -1);
  sqlite3_bind_int64 (stmt, 7, offset);

  entries = g_ptr_array_new_with_free_func ((GDestroyNotify) cc_error_entry_free);
  while ((rc = cc_store_step (self, stmt, doing, error)) == SQLITE_ROW)
    g_ptr_array_add (entries, read_entry (stmt));
  if (rc != SQLITE_DONE)
    return NULL;
  return g_steal_pointer (&entries);
}

gboolean
cc_store_foreach_error (CcStore             *self,
                        const char          *workflow,
                        const CcErrorFilter *filter,
                        CcErrorFunc          func,
                        gpointer             user_data,
                        GError             **error)
{
  const char *doing = "read the error log";
  g_autoptr(CcStoreStmt) stmt = NULL;
  int rc;

  g_return_val_if_fail (CC_IS_STORE (self), FALSE);
  g_return_val_if_fail (workflow != NULL, FALSE);
  g_return_val_if_fail (func != NULL, FALSE);

  stmt = cc_store_prepare (self, STMT_ERRORS_EACH,
                           "SELECT id, mapping, key, op, payload, flags, http_status, reason, failed_at"
                           " FROM errors WHERE" MATCHING " ORDER BY id DESC",
                           doing, error);
  if (stmt == NULL)
    return FALSE;
  bind_filter (stmt, workflow, filter);
  while ((rc = cc_store_step (self, stmt, doing, error)) == SQLITE_ROW)
    {
      g_autoptr(CcErrorEntry) entry = read_entry (stmt);

      if (!func (entry, user_data, error))
        return FALSE;
    }
  return rc == SQLITE_DONE;
}

GPtrArray *
cc_store_list_errors (CcStore     *self,
                      const char  *workflow,
                      guint        offset,
                      guint        limit,
                      GError     **error)
{
  return cc_store_list_errors_matching (self, workflow, NULL, offset, limit, error);
}

GPtrArray *
cc_store_list_error_groups (CcStore             *self,
                            const char          *workflow,
                            const CcErrorFilter *filter,
                            guint                limit,
                            GError             **error)
{
  const char *doing = "group the error log by reason";
  g_autoptr(CcStoreStmt) stmt = NULL;
  g_autoptr(GPtrArray) groups = NULL;
  int rc;

  g_return_val_if_fail (CC_IS_STORE (self), NULL);
  g_return_val_if_fail (workflow != NULL, NULL);

  stmt = cc_store_prepare (self, STMT_ERRORS_GROUPS,
                           "SELECT reason, COUNT (*), MAX (failed_at) FROM errors WHERE" MATCHING
                           " GROUP BY reason ORDER BY COUNT (*) DESC, reason LIMIT ?6",
                           doing, error);
  if (stmt == NULL)
    return NULL;
  bind_filter (stmt, workflow, filter);
  sqlite3_bind_int64 (stmt, 6, limit > 0 ? (sqlite3_int64) limit : -1);

  groups = g_ptr_array_new_with_free_func ((GDestroyNotify) cc_error_group_free);
  while ((rc = cc_store_step (self, stmt, doing, error)) == SQLITE_ROW)
    {
      CcErrorGroup *group = g_new0 (CcErrorGroup, 1);

      group->reason = cc_store_column_dup (stmt, 0);
      group->count = (guint64) sqlite3_column_int64 (stmt, 1);
      group->last_failed_at = sqlite3_column_int64 (stmt, 2);
      g_ptr_array_add (groups, group);
    }
  if (rc != SQLITE_DONE)
    return NULL;
  return g_steal_pointer (&groups);
}

gint64
cc_store_retry_errors_matching (CcStore             *self,
                                const char          *workflow,
                                const CcErrorFilter *filter,
                                GError             **error)
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
                              " WHERE" MATCHING " ORDER BY id",
                              doing, error);
  delete = cc_store_prepare (self, STMT_ERRORS_DELETE,
                             "DELETE FROM errors WHERE" MATCHING, doing, error);
  if (entries == NULL || delete == NULL)
    return -1;

  if (!cc_store_begin (self, doing, error))
    return -1;
  if (!cc_store_queue_max_id (self, &max_id, doing, error))
    goto fail;
  bind_filter (entries, workflow, filter);
  while ((rc = cc_store_step (self, entries, doing, error)) == SQLITE_ROW)
    {
      const CcStoreChange change = {
        workflow,
        (const char *) sqlite3_column_text (entries, 0),
        (const char *) sqlite3_column_text (entries, 1),
        (CcQueueOp) sqlite3_column_int (entries, 2),
        (const char *) sqlite3_column_text (entries, 3),
        (guint) sqlite3_column_int64 (entries, 4),
      };
      gint64 row_id, queued_at;

      if (!cc_store_queue_change (self, &change, max_id, now, &row_id, &queued_at, doing, error))
        goto fail;
    }
  if (rc != SQLITE_DONE)
    goto fail;
  cc_store_stmt_done (entries);
  bind_filter (delete, workflow, filter);
  if (!cc_store_run (self, delete, doing, error))
    goto fail;
  moved = sqlite3_changes64 (self->db);
  if (!cc_store_queue_count_inserted (self, workflow, max_id, &inserted, doing, error))
    goto fail;
  if (!cc_store_commit (self, doing, error))
    return -1;
  return moved;

fail:
  cc_store_rollback (self);
  return -1;
}

gint64
cc_store_retry_errors (CcStore     *self,
                       const char  *workflow,
                       gint64       id,
                       GError     **error)
{
  const CcErrorFilter filter = { id, NULL, NULL, NULL };

  return cc_store_retry_errors_matching (self, workflow, &filter, error);
}
