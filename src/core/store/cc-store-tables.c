/* cc-store-tables.c — the small tables of CcStore: read cursors,
 * key/value maps, counters, the run history, the workflows the user
 * wants running and the API calls of the day.
 */
#include "config.h"

#include "cc-store-private.h"

/* The run history is for people to read, not an audit trail: keep the
 * newest entries of each workflow so that years of starts and stops do not
 * grow the file without bound. */
#define HISTORY_KEEP 10000

/* Rows read per step of cc_store_map_foreach(): bounded memory for maps of
 * millions of keys, and no statement open while the callback runs. */
#define MAP_PAGE_SIZE 256

/* --- cursors ----------------------------------------------------------- */

char *
cc_store_get_cursor (CcStore     *self,
                     const char  *workflow,
                     const char  *name,
                     GError     **error)
{
  const char *doing = "read a cursor";
  g_autoptr(CcStoreStmt) stmt = NULL;
  int rc;

  g_return_val_if_fail (CC_IS_STORE (self), NULL);
  g_return_val_if_fail (workflow != NULL && name != NULL, NULL);

  stmt = cc_store_prepare (self, STMT_CURSOR_GET,
                           "SELECT value FROM cursors WHERE workflow = ?1 AND name = ?2",
                           doing, error);
  if (stmt == NULL)
    return NULL;
  cc_store_bind_text (stmt, 1, workflow);
  cc_store_bind_text (stmt, 2, name);
  rc = cc_store_step (self, stmt, doing, error);
  return rc == SQLITE_ROW ? cc_store_column_dup (stmt, 0) : NULL;
}

gboolean
cc_store_write_cursor (CcStore     *self,
                       const char  *workflow,
                       const char  *name,
                       const char  *value,
                       const char  *doing,
                       GError     **error)
{
  g_autoptr(CcStoreStmt) stmt = NULL;

  if (value != NULL)
    stmt = cc_store_prepare (self, STMT_CURSOR_SET,
                             "INSERT INTO cursors (workflow, name, value) VALUES (?1, ?2, ?3)"
                             " ON CONFLICT (workflow, name) DO UPDATE SET value = excluded.value",
                             doing, error);
  else
    stmt = cc_store_prepare (self, STMT_CURSOR_DELETE,
                             "DELETE FROM cursors WHERE workflow = ?1 AND name = ?2",
                             doing, error);
  if (stmt == NULL)
    return FALSE;
  cc_store_bind_text (stmt, 1, workflow);
  cc_store_bind_text (stmt, 2, name);
  if (value != NULL)
    cc_store_bind_text (stmt, 3, value);
  return cc_store_run (self, stmt, doing, error);
}

gboolean
cc_store_set_cursor (CcStore     *self,
                     const char  *workflow,
                     const char  *name,
                     const char  *value,
                     GError     **error)
{
  g_return_val_if_fail (CC_IS_STORE (self), FALSE);
  g_return_val_if_fail (workflow != NULL && name != NULL, FALSE);

  return cc_store_write_cursor (self, workflow, name, value, "save a cursor", error);
}

gboolean
cc_store_clear_cursors (CcStore     *self,
                        const char  *workflow,
                        const char  *prefix,
                        GError     **error)
{
  const char *doing = "clear cursors";
  g_autoptr(CcStoreStmt) stmt = NULL;

  g_return_val_if_fail (CC_IS_STORE (self), FALSE);
  g_return_val_if_fail (workflow != NULL, FALSE);

  /* substr() rather than LIKE: a prefix may hold '%' or '_'. */
  stmt = cc_store_prepare (self, STMT_CURSOR_CLEAR,
                           "DELETE FROM cursors WHERE workflow = ?1"
                           " AND substr (name, 1, length (?2)) = ?2",
                           doing, error);
  if (stmt == NULL)
    return FALSE;
  cc_store_bind_text (stmt, 1, workflow);
  cc_store_bind_text (stmt, 2, prefix != NULL ? prefix : "");
  return cc_store_run (self, stmt, doing, error);
}

/* --- key/value maps ---------------------------------------------------- */

char *
cc_store_map_get (CcStore     *self,
                  const char  *space,
                  const char  *key,
                  GError     **error)
{
  const char *doing = "read a map entry";
  g_autoptr(CcStoreStmt) stmt = NULL;
  int rc;

  g_return_val_if_fail (CC_IS_STORE (self), NULL);
  g_return_val_if_fail (space != NULL && key != NULL, NULL);

  stmt = cc_store_prepare (self, STMT_MAP_GET,
                           "SELECT value FROM maps WHERE space = ?1 AND key = ?2",
                           doing, error);
  if (stmt == NULL)
    return NULL;
  cc_store_bind_text (stmt, 1, space);
  cc_store_bind_text (stmt, 2, key);
  rc = cc_store_step (self, stmt, doing, error);
  return rc == SQLITE_ROW ? cc_store_column_dup (stmt, 0) : NULL;
}

gboolean
cc_store_map_get_many (CcStore            *self,
                       const char         *space,
                       const char * const *keys,
                       guint               n_keys,
                       GHashTable         *values,
                       GError            **error)
{
  const char *doing = "read map entries";
  g_autoptr(CcStoreStmt) begin = NULL;
  g_autoptr(CcStoreStmt) end = NULL;
  GError *local = NULL;

  g_return_val_if_fail (CC_IS_STORE (self), FALSE);
  g_return_val_if_fail (space != NULL && values != NULL, FALSE);
  g_return_val_if_fail (sqlite3_get_autocommit (self->db), FALSE);

  /* One read transaction for all of them: on its own, each lookup takes
   * and gives back SQLite's read lock and looks at the WAL's header. It
   * ends with the statement that ends a write transaction too. */
  begin = cc_store_prepare (self, STMT_BEGIN_READ, "BEGIN", doing, error);
  end = cc_store_prepare (self, STMT_COMMIT, "COMMIT", doing, error);
  if (begin == NULL || end == NULL || !cc_store_run (self, begin, doing, error))
    return FALSE;
  for (guint i = 0; i < n_keys && local == NULL; i++)
    {
      char *value = cc_store_map_get (self, space, keys[i], &local);

      if (value != NULL)
        g_hash_table_replace (values, g_strdup (keys[i]), value);
    }
  /* Ends the read whatever came of it: a read commits nothing. */
  if (!cc_store_run (self, end, doing, local == NULL ? &local : NULL))
    sqlite3_exec (self->db, "ROLLBACK", NULL, NULL, NULL);
  if (local != NULL)
    {
      g_propagate_error (error, local);
      return FALSE;
    }
  return TRUE;
}

gboolean
cc_store_map_set (CcStore     *self,
                  const char  *space,
                  const char  *key,
                  const char  *value,
                  GError     **error)
{
  const char *doing = "save a map entry";
  g_autoptr(CcStoreStmt) stmt = NULL;

  g_return_val_if_fail (CC_IS_STORE (self), FALSE);
  g_return_val_if_fail (space != NULL && key != NULL, FALSE);

  if (value != NULL)
    stmt = cc_store_prepare (self, STMT_MAP_SET,
                             "INSERT INTO maps (space, key, value) VALUES (?1, ?2, ?3)"
                             " ON CONFLICT (space, key) DO UPDATE SET value = excluded.value",
                             doing, error);
  else
    stmt = cc_store_prepare (self, STMT_MAP_DELETE,
                             "DELETE FROM maps WHERE space = ?1 AND key = ?2",
                             doing, error);
  if (stmt == NULL)
    return FALSE;
  cc_store_bind_text (stmt, 1, space);
  cc_store_bind_text (stmt, 2, key);
  if (value != NULL)
    cc_store_bind_text (stmt, 3, value);
  return cc_store_run (self, stmt, doing, error);
}

gboolean
cc_store_map_foreach (CcStore     *self,
                      const char  *space,
                      gboolean   (*func) (const char *key,
                                          const char *value,
                                          gpointer    user_data),
                      gpointer     user_data,
                      GError     **error)
{
  const char *doing = "read a map";
  g_autofree char *last = g_strdup ("");
  gboolean more = TRUE;

  g_return_val_if_fail (CC_IS_STORE (self), FALSE);
  g_return_val_if_fail (space != NULL, FALSE);
  g_return_val_if_fail (func != NULL, FALSE);

  /* Page by key, copying each page out before calling @func: the callback
   * may then use this store, even change the map, and no read snapshot is
   * held while it runs. The price: a concurrent writer's changes may show
   * up part way through. Key order is SQLite's BINARY order, i.e. the
   * order of the UTF-8 bytes. */
  while (more)
    {
      g_autoptr(GPtrArray) page = g_ptr_array_new_with_free_func (g_free);
      g_autoptr(CcStoreStmt) stmt = NULL;
      int rc;

      stmt = cc_store_prepare (self, STMT_MAP_PAGE,
                               "SELECT key, value FROM maps WHERE space = ?1 AND key > ?2"
                               " ORDER BY key LIMIT ?3",
                               doing, error);
      if (stmt == NULL)
        return FALSE;
      cc_store_bind_text (stmt, 1, space);
      cc_store_bind_text (stmt, 2, last);
      sqlite3_bind_int (stmt, 3, MAP_PAGE_SIZE);
      while ((rc = cc_store_step (self, stmt, doing, error)) == SQLITE_ROW)
        {
          g_ptr_array_add (page, cc_store_column_dup (stmt, 0));
          g_ptr_array_add (page, cc_store_column_dup (stmt, 1));
        }
      if (rc != SQLITE_DONE)
        return FALSE;
      g_clear_pointer (&stmt, cc_store_stmt_done);

      more = page->len == 2 * MAP_PAGE_SIZE;
      for (guint i = 0; i < page->len; i += 2)
        if (!func (page->pdata[i], page->pdata[i + 1], user_data))
          return TRUE;
      if (more)
        {
          g_free (last);
          last = g_strdup (page->pdata[page->len - 2]);
        }
    }
  return TRUE;
}

gboolean
cc_store_map_clear (CcStore     *self,
                    const char  *space,
                    GError     **error)
{
  const char *doing = "clear a map";
  g_autoptr(CcStoreStmt) stmt = NULL;

  g_return_val_if_fail (CC_IS_STORE (self), FALSE);
  g_return_val_if_fail (space != NULL, FALSE);

  stmt = cc_store_prepare (self, STMT_MAP_CLEAR,
                           "DELETE FROM maps WHERE space = ?1", doing, error);
  if (stmt == NULL)
    return FALSE;
  cc_store_bind_text (stmt, 1, space);
  return cc_store_run (self, stmt, doing, error);
}

/* --- counters ---------------------------------------------------------- */

gboolean
cc_store_add_counts (CcStore     *self,
                     const char  *workflow,
                     guint64      written,
                     guint64      failed,
                     GError     **error)
{
  const char *doing = "update the counters";
  g_autoptr(CcStoreStmt) stmt = NULL;

  g_return_val_if_fail (CC_IS_STORE (self), FALSE);
  g_return_val_if_fail (workflow != NULL, FALSE);

  stmt = cc_store_prepare (self, STMT_COUNTS_ADD,
                           "INSERT INTO counters (workflow, written, failed) VALUES (?1, ?2, ?3)"
                           " ON CONFLICT (workflow) DO UPDATE SET"
                           "  written = written + excluded.written,"
                           "  failed = failed + excluded.failed",
                           doing, error);
  if (stmt == NULL)
    return FALSE;
  cc_store_bind_text (stmt, 1, workflow);
  sqlite3_bind_int64 (stmt, 2, (sqlite3_int64) written);
  sqlite3_bind_int64 (stmt, 3, (sqlite3_int64) failed);
  return cc_store_run (self, stmt, doing, error);
}

gboolean
cc_store_get_counts (CcStore     *self,
                     const char  *workflow,
                     guint64     *written,
                     guint64     *failed,
                     GError     **error)
{
  const char *doing = "read the counters";
  g_autoptr(CcStoreStmt) stmt = NULL;
  int rc;

  g_return_val_if_fail (CC_IS_STORE (self), FALSE);
  g_return_val_if_fail (workflow != NULL, FALSE);

  stmt = cc_store_prepare (self, STMT_COUNTS_GET,
                           "SELECT written, failed FROM counters WHERE workflow = ?1",
                           doing, error);
  if (stmt == NULL)
    return FALSE;
  cc_store_bind_text (stmt, 1, workflow);
  rc = cc_store_step (self, stmt, doing, error);
  if (rc == 0)
    return FALSE;
  if (written != NULL)
    *written = rc == SQLITE_ROW ? (guint64) sqlite3_column_int64 (stmt, 0) : 0;
  if (failed != NULL)
    *failed = rc == SQLITE_ROW ? (guint64) sqlite3_column_int64 (stmt, 1) : 0;
  return TRUE;
}

/* --- run history ------------------------------------------------------- */

gboolean
cc_store_add_history_entry (CcStore               *self,
                            const char            *workflow,
                            const CcHistoryEntry  *entry,
                            GError               **error)
{
  const char *doing = "add to the run history";
  g_autoptr(CcStoreStmt) add = NULL;
  g_autoptr(CcStoreStmt) prune = NULL;

  g_return_val_if_fail (CC_IS_STORE (self), FALSE);
  g_return_val_if_fail (workflow != NULL && entry != NULL && entry->kind != NULL, FALSE);

  add = cc_store_prepare (self, STMT_HISTORY_ADD,
                          "INSERT INTO history (workflow, at, kind, message, written, failed)"
                          " VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                          doing, error);
  prune = cc_store_prepare (self, STMT_HISTORY_PRUNE,
                            "DELETE FROM history WHERE workflow = ?1 AND id <= ("
                            "  SELECT id FROM history WHERE workflow = ?1"
                            "  ORDER BY id DESC LIMIT 1 OFFSET ?2)",
                            doing, error);
  if (add == NULL || prune == NULL || !cc_store_begin (self, doing, error))
    return FALSE;

  cc_store_bind_text (add, 1, workflow);
  sqlite3_bind_int64 (add, 2, entry->at != 0 ? entry->at : g_get_real_time ());
  cc_store_bind_text (add, 3, entry->kind);
  cc_store_bind_text (add, 4, entry->message);
  sqlite3_bind_int64 (add, 5, (sqlite3_int64) entry->written);
  sqlite3_bind_int64 (add, 6, (sqlite3_int64) entry->failed);
  cc_store_bind_text (prune, 1, workflow);
  sqlite3_bind_int (prune, 2, HISTORY_KEEP);
  if (!cc_store_run (self, add, doing, error) ||
      !cc_store_run (self, prune, doing, error))
    {
      cc_store_rollback (self);
      return FALSE;
    }
  return cc_store_commit (self, doing, error);
}

gboolean
cc_store_add_history (CcStore     *self,
                      const char  *workflow,
                      const char  *kind,
                      const char  *message,
                      guint64      written,
                      guint64      failed,
                      GError     **error)
{
  CcHistoryEntry entry = { 0, 0, (char *) kind, (char *) message, written, failed };

  return cc_store_add_history_entry (self, workflow, &entry, error);
}

GPtrArray *
cc_store_list_history (CcStore     *self,
                       const char  *workflow,
                       guint        limit,
                       GError     **error)
{
  const char *doing = "read the run history";
  g_autoptr(CcStoreStmt) stmt = NULL;
  g_autoptr(GPtrArray) entries = NULL;
  int rc;

  g_return_val_if_fail (CC_IS_STORE (self), NULL);
  g_return_val_if_fail (workflow != NULL, NULL);

  stmt = cc_store_prepare (self, STMT_HISTORY_LIST,
                           "SELECT id, at, kind, message, written, failed FROM history"
                           " WHERE workflow = ?1 ORDER BY id DESC LIMIT ?2",
                           doing, error);
  if (stmt == NULL)
    return NULL;
  cc_store_bind_text (stmt, 1, workflow);
  /* A negative LIMIT means none. */
  sqlite3_bind_int64 (stmt, 2, limit > 0 ? (sqlite3_int64) limit : -1);

  entries = g_ptr_array_new_with_free_func ((GDestroyNotify) cc_history_entry_free);
  while ((rc = cc_store_step (self, stmt, doing, error)) == SQLITE_ROW)
    {
      CcHistoryEntry *entry = g_new0 (CcHistoryEntry, 1);

      entry->id = sqlite3_column_int64 (stmt, 0);
      entry->at = sqlite3_column_int64 (stmt, 1);
      entry->kind = cc_store_column_dup (stmt, 2);
      entry->message = cc_store_column_dup (stmt, 3);
      entry->written = (guint64) sqlite3_column_int64 (stmt, 4);
      entry->failed = (guint64) sqlite3_column_int64 (stmt, 5);
      g_ptr_array_add (entries, entry);
    }
  if (rc != SQLITE_DONE)
    return NULL;
  return g_steal_pointer (&entries);
}

/* --- what the user wants running ---------------------------------------- */

gboolean
cc_store_set_wanted (CcStore     *self,
                     const char  *workflow,
                     gboolean     running,
                     GError     **error)
{
  const char *doing = "save whether a workflow should run";
  g_autoptr(CcStoreStmt) stmt = NULL;

  g_return_val_if_fail (CC_IS_STORE (self), FALSE);
  g_return_val_if_fail (workflow != NULL, FALSE);

  /* A start that finds the wish already there keeps its first time: the
   * order of the list is the order the user started them in. */
  if (running)
    stmt = cc_store_prepare (self, STMT_WANTED_SET,
                             "INSERT INTO wanted (workflow, since) VALUES (?1, ?2)"
                             " ON CONFLICT (workflow) DO NOTHING",
                             doing, error);
  else
    stmt = cc_store_prepare (self, STMT_WANTED_CLEAR,
                             "DELETE FROM wanted WHERE workflow = ?1", doing, error);
  if (stmt == NULL)
    return FALSE;
  cc_store_bind_text (stmt, 1, workflow);
  if (running)
    sqlite3_bind_int64 (stmt, 2, g_get_real_time ());
  return cc_store_run (self, stmt, doing, error);
}

GStrv
cc_store_list_wanted (CcStore  *self,
                      GError  **error)
{
  const char *doing = "read which workflows should run";
  g_autoptr(CcStoreStmt) stmt = NULL;
  g_autoptr(GStrvBuilder) names = g_strv_builder_new ();
  int rc;

  g_return_val_if_fail (CC_IS_STORE (self), NULL);

  stmt = cc_store_prepare (self, STMT_WANTED_LIST,
                           "SELECT workflow FROM wanted ORDER BY since, workflow",
                           doing, error);
  if (stmt == NULL)
    return NULL;
  while ((rc = cc_store_step (self, stmt, doing, error)) == SQLITE_ROW)
    g_strv_builder_add (names, (const char *) sqlite3_column_text (stmt, 0));
  if (rc != SQLITE_DONE)
    return NULL;
  return g_strv_builder_end (names);
}

/* --- calls made to a service's API, per UTC day ------------------------- */

gboolean
cc_store_get_api_calls (CcStore     *self,
                        const char  *service,
                        const char  *day,
                        guint64     *calls,
                        GError     **error)
{
  const char *doing = "read the API calls of the day";
  g_autoptr(CcStoreStmt) stmt = NULL;
  int rc;

  g_return_val_if_fail (CC_IS_STORE (self), FALSE);
  g_return_val_if_fail (service != NULL && day != NULL && calls != NULL, FALSE);

  stmt = cc_store_prepare (self, STMT_API_CALLS_GET,
                           "SELECT calls FROM api_calls WHERE service = ?1 AND day = ?2",
                           doing, error);
  if (stmt == NULL)
    return FALSE;
  cc_store_bind_text (stmt, 1, service);
  cc_store_bind_text (stmt, 2, day);
  rc = cc_store_step (self, stmt, doing, error);
  if (rc == 0)
    return FALSE;
  *calls = rc == SQLITE_ROW ? (guint64) sqlite3_column_int64 (stmt, 0) : 0;
  return TRUE;
}

gboolean
cc_store_set_api_calls (CcStore     *self,
                        const char  *service,
                        const char  *day,
                        guint64      calls,
                        GError     **error)
{
  const char *doing = "save the API calls of the day";
  g_autoptr(CcStoreStmt) set = NULL;
  g_autoptr(CcStoreStmt) prune = NULL;

  g_return_val_if_fail (CC_IS_STORE (self), FALSE);
  g_return_val_if_fail (service != NULL && day != NULL, FALSE);

  set = cc_store_prepare (self, STMT_API_CALLS_SET,
                          "INSERT INTO api_calls (service, day, calls) VALUES (?1, ?2, ?3)"
                          " ON CONFLICT (service, day) DO UPDATE SET calls = excluded.calls",
                          doing, error);
  prune = cc_store_prepare (self, STMT_API_CALLS_PRUNE,
                            "DELETE FROM api_calls WHERE service = ?1 AND day <> ?2",
                            doing, error);
  if (set == NULL || prune == NULL || !cc_store_begin (self, doing, error))
    return FALSE;

  cc_store_bind_text (set, 1, service);
  cc_store_bind_text (set, 2, day);
  sqlite3_bind_int64 (set, 3, (sqlite3_int64) MIN (calls, (guint64) G_MAXINT64));
  cc_store_bind_text (prune, 1, service);
  cc_store_bind_text (prune, 2, day);
  if (!cc_store_run (self, set, doing, error) || !cc_store_run (self, prune, doing, error))
    {
      cc_store_rollback (self);
      return FALSE;
    }
  return cc_store_commit (self, doing, error);
}
