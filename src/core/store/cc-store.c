/* cc-store.c — the state database: the connection, its schema and
 * migrations, the statement cache and transactions shared by the other
 * cc-store-*.c files, and the item types.
 *
 * The queue is in cc-store-queue.c, settling a lease in cc-store-settle.c,
 * the error log in cc-store-errors.c; cursors, key/value maps, counters
 * and the run history in cc-store-tables.c.
 */
#include "config.h"

#include <errno.h>

#include "cc-error.h"
#include "cc-store-private.h"

/* Several connections (the reader, the writers, the main thread) share the
 * file, and a writer may wait for another's transaction: a long page commit
 * is well under this, a stuck peer is not worth waiting for longer. */
#define BUSY_TIMEOUT_MS 10000

G_DEFINE_FINAL_TYPE (CcStore, cc_store, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_PATH,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* Schema migrations: entry N brings a database from user_version N to
 * N + 1. Each runs in the same transaction as the version bump, so a
 * database is always at one version, never half way. */
static const char * const migrations[] = {
  /* 1: the first schema. */
  /* The queue. A record waiting to be written has leased = 0, and there is
   * at most one such row per (workflow, mapping, key): a newer change of
   * the same record replaces it in place (see cc_store_enqueue()). While a
   * row is leased a newer change waits behind it as a second row.
   * AUTOINCREMENT: ids are never reused, so a stale ack or release of an
   * item that is long gone can never hit another record. */
  "CREATE TABLE queue ("
  "  id        INTEGER PRIMARY KEY AUTOINCREMENT,"
  "  workflow  TEXT    NOT NULL,"
  "  mapping   TEXT    NOT NULL,"
  "  key       TEXT    NOT NULL,"
  "  op        INTEGER NOT NULL CHECK (op IN (0, 1)),"
  "  payload   TEXT,"
  "  flags     INTEGER NOT NULL DEFAULT 0,"
  "  attempts  INTEGER NOT NULL DEFAULT 0,"
  "  queued_at INTEGER NOT NULL,"
  "  leased    INTEGER NOT NULL DEFAULT 0 CHECK (leased IN (0, 1)));"
  "CREATE UNIQUE INDEX queue_pending ON queue (workflow, mapping, key) WHERE leased = 0;"
  "CREATE INDEX queue_leased ON queue (workflow, mapping, key) WHERE leased = 1;"
  "CREATE INDEX queue_order ON queue (workflow, leased, id);"
  /* The backlog per workflow, kept by the queue functions in the same
   * transactions that change the queue: COUNT(*) costs ~30 ms per million
   * queued rows and the Backlog is read after every batch, while a
   * trigger-kept count made bulk inserts ~40 % slower. */
  "CREATE TABLE backlog ("
  "  workflow TEXT PRIMARY KEY,"
  "  n        INTEGER NOT NULL) WITHOUT ROWID;"
  "CREATE TABLE errors ("
  "  id          INTEGER PRIMARY KEY AUTOINCREMENT,"
  "  workflow    TEXT    NOT NULL,"
  "  mapping     TEXT    NOT NULL,"
  "  key         TEXT    NOT NULL,"
  "  op          INTEGER NOT NULL,"
  "  payload     TEXT,"
  "  flags       INTEGER NOT NULL,"
  "  http_status INTEGER NOT NULL,"
  "  reason      TEXT    NOT NULL,"
  "  failed_at   INTEGER NOT NULL);"
  "CREATE INDEX errors_by_workflow ON errors (workflow, id);"
  "CREATE TABLE cursors ("
  "  workflow TEXT NOT NULL,"
  "  name     TEXT NOT NULL,"
  "  value    TEXT NOT NULL,"
  "  PRIMARY KEY (workflow, name));"
  "CREATE TABLE maps ("
  "  space TEXT NOT NULL,"
  "  key   TEXT NOT NULL,"
  "  value TEXT NOT NULL,"
  "  PRIMARY KEY (space, key));"
  "CREATE TABLE counters ("
  "  workflow TEXT PRIMARY KEY,"
  "  written  INTEGER NOT NULL,"
  "  failed   INTEGER NOT NULL) WITHOUT ROWID;"
  "CREATE TABLE history ("
  "  id       INTEGER PRIMARY KEY,"
  "  workflow TEXT    NOT NULL,"
  "  at       INTEGER NOT NULL,"
  "  kind     TEXT    NOT NULL,"
  "  message  TEXT,"
  "  written  INTEGER NOT NULL,"
  "  failed   INTEGER NOT NULL);"
  "CREATE INDEX history_by_workflow ON history (workflow, id);",
  /* 2: a written record's error-log entries are superseded and removed
   * (cc_store_settle()): find them by record. */
  "CREATE INDEX errors_by_record ON errors (workflow, mapping, key);",
  /* 3: fewer pages written per record. Leasing flipped a row between two
   * partial indexes on (workflow, mapping, key), keyed by record ids in no
   * order: two scattered index pages written per record leased, two more
   * per record settled. One index over every row does not change when a
   * lease does; the queue functions keep one waiting row per record
   * themselves, inside their write transactions. The maps become one
   * B-tree keyed by (space, key) instead of a table and its index. */
  "DROP INDEX queue_pending;"
  "DROP INDEX queue_leased;"
  "CREATE INDEX queue_by_record ON queue (workflow, mapping, key);"
  "CREATE TABLE maps_by_key ("
  "  space TEXT NOT NULL,"
  "  key   TEXT NOT NULL,"
  "  value TEXT NOT NULL,"
  "  PRIMARY KEY (space, key)) WITHOUT ROWID;"
  "INSERT INTO maps_by_key (space, key, value) SELECT space, key, value FROM maps;"
  "DROP TABLE maps;"
  "ALTER TABLE maps_by_key RENAME TO maps;",
  /* 4: the workflows the user wants running, written at every start and
   * stop, so that an engine started after a crash resumes exactly those.
   * The marker that only a clean shutdown used to write (map space
   * "engine:resume") is the first such wish. */
  "CREATE TABLE wanted ("
  "  workflow TEXT PRIMARY KEY,"
  "  since    INTEGER NOT NULL) WITHOUT ROWID;"
  "INSERT INTO wanted (workflow, since)"
  "  SELECT key, 0 FROM maps WHERE space = 'engine:resume' AND value = 'running';"
  "DELETE FROM maps WHERE space = 'engine:resume';",
  /* 5: the calls made to a service's API on a UTC day, so that a restart
   * does not start the daily allowance afresh. */
  "CREATE TABLE api_calls ("
  "  service TEXT    NOT NULL,"
  "  day     TEXT    NOT NULL,"
  "  calls   INTEGER NOT NULL,"
  "  PRIMARY KEY (service, day)) WITHOUT ROWID;",
  /* 6: an error log of thousands of entries is read by reason (grouped,
   * counted, retried a reason at a time). */
  "CREATE INDEX IF NOT EXISTS errors_by_reason ON errors (workflow, reason);",
  /* 7: a lease leaves out a waiting change whose record has a leased
   * row, and looking that up (an index probe and a row read) cost more
   * than the rest of the lease. A waiting row queued while its record
   * was leased is marked when it is queued: only marked rows are looked
   * at. Existing rows that wait behind a leased one are marked here. */
  "ALTER TABLE queue ADD COLUMN behind INTEGER NOT NULL DEFAULT 0;"
  "UPDATE queue SET behind = 1 WHERE leased = 0 AND EXISTS ("
  "  SELECT 1 FROM queue AS l WHERE l.workflow = queue.workflow"
  "   AND l.mapping = queue.mapping AND l.key = queue.key AND l.leased = 1);",
};

#define SCHEMA_VERSION ((int) G_N_ELEMENTS (migrations))

/* --- items ------------------------------------------------------------ */

const char *
cc_queue_op_to_string (CcQueueOp op)
{
  return op == CC_QUEUE_OP_DELETE ? "delete" : "upsert";
}

CcQueueItem *
cc_queue_item_new (const char *mapping,
                   const char *key,
                   CcQueueOp   op,
                   const char *payload,
                   guint       flags)
{
  CcQueueItem *item = g_new0 (CcQueueItem, 1);

  item->mapping = g_strdup (mapping);
  item->key = g_strdup (key);
  item->op = op;
  item->payload = g_strdup (payload);
  item->flags = flags;
  return item;
}

void
cc_queue_item_free (CcQueueItem *item)
{
  if (item == NULL)
    return;
  g_free (item->mapping);
  g_free (item->key);
  g_free (item->payload);
  g_free (item);
}

void
cc_error_entry_free (CcErrorEntry *entry)
{
  if (entry == NULL)
    return;
  g_free (entry->mapping);
  g_free (entry->key);
  g_free (entry->payload);
  g_free (entry->reason);
  g_free (entry);
}

void
cc_error_filter_copy (const CcErrorFilter *from,
                      CcErrorFilter       *to)
{
  *to = (CcErrorFilter) { 0 };
  if (from == NULL)
    return;
  to->id = from->id;
  to->reason = g_strdup (from->reason);
  to->key = g_strdup (from->key);
  to->search = g_strdup (from->search);
}

void
cc_error_filter_clear (CcErrorFilter *filter)
{
  g_clear_pointer ((char **) &filter->reason, g_free);
  g_clear_pointer ((char **) &filter->key, g_free);
  g_clear_pointer ((char **) &filter->search, g_free);
  filter->id = 0;
}

void
cc_error_group_free (CcErrorGroup *group)
{
  if (group == NULL)
    return;
  g_free (group->reason);
  g_free (group);
}

void
cc_history_entry_free (CcHistoryEntry *entry)
{
  if (entry == NULL)
    return;
  g_free (entry->kind);
  g_free (entry->message);
  g_free (entry);
}

/* --- connection helpers (shared with the other cc-store-*.c) ----------- */

void
cc_store_set_error (CcStore     *self,
                    const char  *doing,
                    GError     **error)
{
  g_autofree char *read_only = NULL;

  /* SQLite says "attempt to write a readonly database" whichever file
   * refused: say which. The next operation opens the files again. */
  if ((sqlite3_errcode (self->db) & 0xff) == SQLITE_READONLY)
    {
      self->read_only = TRUE;
      read_only = cc_store_describe_read_only (self->path);
    }
  /* sqlite3_errmsg() names constraints and columns, never bound values, so
   * no payload or secret can leak into the message. */
  g_set_error (error, CC_ERROR, CC_ERROR_FAILED,
               "Could not %s in %s: %s",
               doing, self->path, read_only ? read_only : sqlite3_errmsg (self->db));
}

void
cc_store_stmt_done (CcStoreStmt *stmt)
{
  sqlite3_reset (stmt);
  sqlite3_clear_bindings (stmt);
}

static gboolean cc_store_open_db (CcStore  *self,
                                  GError  **error);

/* A connection opened on files it could not write stays read-only for
 * good: once they are writable again, it is opened anew (between two
 * operations only, never inside a transaction). */
static gboolean
reopen_if_writable (CcStore  *self,
                    GError  **error)
{
  if (!self->read_only || self->write_turn || !sqlite3_get_autocommit (self->db))
    return TRUE;
  cc_store_repair_files (self->path);
  if (!cc_store_files_writable (self->path))
    return TRUE;   /* still read-only: the write says which file */
  g_debug ("%s is writable again: opening it anew", self->path);
  for (guint i = 0; i < N_STMTS; i++)
    g_clear_pointer (&self->stmts[i], sqlite3_finalize);
  sqlite3_close (self->db);
  self->db = NULL;
  return cc_store_open_db (self, error);
}

CcStoreStmt *
cc_store_prepare (CcStore      *self,
                  CcStoreSlot   slot,
                  const char   *sql,
                  const char   *doing,
                  GError      **error)
{
  g_assert (slot < N_STMTS);

  if (!reopen_if_writable (self, error))
    return NULL;

  if (self->stmts[slot] == NULL &&
      sqlite3_prepare_v3 (self->db, sql, -1, SQLITE_PREPARE_PERSISTENT,
                          &self->stmts[slot], NULL) != SQLITE_OK)
    {
      cc_store_set_error (self, doing, error);
      self->stmts[slot] = NULL;
      return NULL;
    }
  return self->stmts[slot];
}

int
cc_store_step (CcStore      *self,
               CcStoreStmt  *stmt,
               const char   *doing,
               GError      **error)
{
  int rc = sqlite3_step (stmt);

  if (rc == SQLITE_ROW || rc == SQLITE_DONE)
    return rc;
  cc_store_set_error (self, doing, error);
  return 0;
}

gboolean
cc_store_run (CcStore      *self,
              CcStoreStmt  *stmt,
              const char   *doing,
              GError      **error)
{
  int rc;

  while ((rc = cc_store_step (self, stmt, doing, error)) == SQLITE_ROW)
    ;
  return rc == SQLITE_DONE;
}

void
cc_store_bind_text (CcStoreStmt *stmt,
                    int          index,
                    const char  *s)
{
  if (s == NULL)
    sqlite3_bind_null (stmt, index);
  else
    sqlite3_bind_text (stmt, index, s, -1, SQLITE_STATIC);
}

char *
cc_store_column_dup (CcStoreStmt *stmt,
                     int          column)
{
  return g_strdup ((const char *) sqlite3_column_text (stmt, column));
}

/* The connections of one process take turns at writing through this lock
 * before SQLite's: a writer that finds SQLite's lock taken sleeps in the
 * busy handler (1, 2, 5, 10… up to 100 ms) however soon the lock comes
 * free, which with ten threads writing cost more time than the writes
 * themselves; one waiting here wakes the moment the other commits.
 * SQLite's own lock and busy timeout still guard against other
 * processes. Recursive, so that a thread never blocks itself. */
static GRecMutex write_turn;

/* Checkpoints (copying the WAL back into the database file) are asked
 * for by whichever connection committed when the WAL has grown past
 * CC_STORE_CHECKPOINT_PAGES, as SQLite's automatic checkpoint does — but
 * after the write turn is given back, and they run on a thread of their
 * own (cc-store-checkpoint.c): no writer waits for the copy and its
 * fsyncs. */
static void
checkpoint_if_due (CcStore *self)
{
  int pages = self->wal_pages;

  if (pages < CC_STORE_CHECKPOINT_PAGES)
    return;
  self->wal_pages = 0;
  if (pages < 2 * CC_STORE_CHECKPOINT_PAGES)
    {
      cc_store_checkpoint_request (self->path);
      return;
    }
  /* The writers outran the checkpointer: it copies what the WAL held
   * when it began, and the WAL starts again from its beginning only once
   * everything in it has been copied. This writer waits for it and copies
   * the rest itself, as SQLite's own checkpoint would, so that the WAL
   * stays bounded. */
  cc_store_checkpoint_wait ();
  sqlite3_wal_checkpoint_v2 (self->db, NULL, SQLITE_CHECKPOINT_PASSIVE, NULL, NULL);
}

static int
on_wal_commit (void       *user_data,
               sqlite3    *db,
               const char *name,
               int         wal_pages)
{
  CcStore *self = user_data;

  self->wal_pages = wal_pages;
  /* A single statement outside cc_store_begin() holds no write turn. */
  if (!self->write_turn)
    checkpoint_if_due (self);
  return SQLITE_OK;
}

static void
end_write_turn (CcStore *self)
{
  if (!self->write_turn)
    return;
  self->write_turn = FALSE;
  g_rec_mutex_unlock (&write_turn);
  checkpoint_if_due (self);
}

gboolean
cc_store_begin (CcStore     *self,
                const char  *doing,
                GError     **error)
{
  g_autoptr(CcStoreStmt) stmt = NULL;

  g_return_val_if_fail (!self->write_turn, FALSE);

  g_rec_mutex_lock (&write_turn);
  self->write_turn = TRUE;
  stmt = cc_store_prepare (self, STMT_BEGIN, "BEGIN IMMEDIATE", doing, error);
  if (stmt != NULL && cc_store_run (self, stmt, doing, error))
    return TRUE;
  end_write_turn (self);
  return FALSE;
}

void
cc_store_rollback (CcStore *self)
{
  g_autoptr(CcStoreStmt) stmt = NULL;

  /* After some errors (disk full, I/O) SQLite has rolled back already. */
  if (!sqlite3_get_autocommit (self->db))
    {
      stmt = cc_store_prepare (self, STMT_ROLLBACK, "ROLLBACK", "roll back", NULL);
      if (stmt != NULL)
        sqlite3_step (stmt);
    }
  end_write_turn (self);
}

gboolean
cc_store_commit (CcStore     *self,
                 const char  *doing,
                 GError     **error)
{
  g_autoptr(CcStoreStmt) stmt = NULL;

  stmt = cc_store_prepare (self, STMT_COMMIT, "COMMIT", doing, error);
  if (stmt == NULL || !cc_store_run (self, stmt, doing, error))
    {
      cc_store_rollback (self);
      return FALSE;
    }
  end_write_turn (self);
  return TRUE;
}

/* --- opening ----------------------------------------------------------- */

static gboolean
exec (CcStore     *self,
      const char  *sql,
      const char  *doing,
      GError     **error)
{
  if (sqlite3_exec (self->db, sql, NULL, NULL, NULL) != SQLITE_OK)
    {
      cc_store_set_error (self, doing, error);
      return FALSE;
    }
  return TRUE;
}

static gboolean
read_version (CcStore     *self,
              int         *version,
              GError     **error)
{
  sqlite3_stmt *stmt = NULL;
  gboolean ok;

  ok = sqlite3_prepare_v2 (self->db, "PRAGMA user_version", -1, &stmt, NULL) == SQLITE_OK &&
       sqlite3_step (stmt) == SQLITE_ROW;
  if (ok)
    *version = sqlite3_column_int (stmt, 0);
  else
    cc_store_set_error (self, "read the schema version", error);
  sqlite3_finalize (stmt);
  return ok;
}

static gboolean
migrate (CcStore  *self,
         GError  **error)
{
  const char *doing = "update the database schema";
  int version;

  if (!read_version (self, &version, error))
    return FALSE;
  if (version == SCHEMA_VERSION)
    return TRUE;

  if (!exec (self, "BEGIN IMMEDIATE", doing, error))
    return FALSE;
  /* Another connection may have migrated while we waited for the lock. */
  if (!read_version (self, &version, error))
    goto fail;
  if (version > SCHEMA_VERSION)
    {
      g_set_error (error, CC_ERROR, CC_ERROR_FAILED,
                   "Could not %s in %s: it was written by a newer version of "
                   "Campaign Connector (schema %d, this version knows %d)",
                   doing, self->path, version, SCHEMA_VERSION);
      goto fail;
    }
  for (; version < SCHEMA_VERSION; version++)
    {
      g_autofree char *bump = g_strdup_printf ("PRAGMA user_version = %d", version + 1);

      g_debug ("Migrating %s to schema %d", self->path, version + 1);
      if (!exec (self, migrations[version], doing, error) ||
          !exec (self, bump, doing, error))
        goto fail;
    }
  return exec (self, "COMMIT", doing, error);

fail:
  sqlite3_exec (self->db, "ROLLBACK", NULL, NULL, NULL);
  return FALSE;
}

/* SQLite keeps count of the memory it allocates, behind a process-wide
 * mutex taken on every allocation (dozens per record); nothing here reads
 * the count. Only possible before SQLite is first used in the process:
 * if something else used it first, it keeps counting. */
static void
stop_counting_memory (void)
{
  static gsize done = 0;

  if (g_once_init_enter (&done))
    {
      if (sqlite3_config (SQLITE_CONFIG_MEMSTATUS, 0) != SQLITE_OK)
        g_debug ("SQLite was in use already: it keeps counting its memory");
      g_once_init_leave (&done, 1);
    }
}

static gboolean
cc_store_open_db (CcStore  *self,
                  GError  **error)
{
  g_autofree char *dir = g_path_get_dirname (self->path);
  const char *doing = "open the state database";
  sqlite3_stmt *stmt = NULL;
  int rc;

  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, CC_ERROR, CC_ERROR_FAILED,
                   "Could not %s in %s: %s", doing, self->path,
                   g_strerror (saved_errno));
      return FALSE;
    }

  stop_counting_memory ();
  cc_store_repair_files (self->path);
  self->read_only = g_file_test (self->path, G_FILE_TEST_EXISTS)
                    && !cc_store_files_writable (self->path);
  /* One connection per thread, never shared: SQLite's own mutexes would
   * only cost time. */
  rc = sqlite3_open_v2 (self->path, &self->db,
                        SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                        NULL);
  if (rc != SQLITE_OK)
    {
      g_set_error (error, CC_ERROR, CC_ERROR_FAILED,
                   "Could not %s in %s: %s", doing, self->path,
                   self->db ? sqlite3_errmsg (self->db) : sqlite3_errstr (rc));
      return FALSE;
    }

  sqlite3_busy_timeout (self->db, BUSY_TIMEOUT_MS);
  /* Replaces SQLite's automatic checkpoint: see end_write_turn(). */
  sqlite3_wal_hook (self->db, on_wal_commit, self);

  /* WAL lets readers work beside the one writer. synchronous = NORMAL in
   * WAL mode makes every commit durable against a crash of the process
   * (what we promise: a killed engine loses nothing it committed); only a
   * power cut or an OS crash may lose the last commits, never consistency. */
  if (sqlite3_prepare_v2 (self->db, "PRAGMA journal_mode = WAL", -1, &stmt, NULL) != SQLITE_OK ||
      sqlite3_step (stmt) != SQLITE_ROW)
    {
      cc_store_set_error (self, doing, error);
      sqlite3_finalize (stmt);
      return FALSE;
    }
  if (g_ascii_strcasecmp ((const char *) sqlite3_column_text (stmt, 0), "wal") != 0)
    g_debug ("%s: the file system does not allow WAL, using journal mode %s",
             self->path, sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);

  /* A run opens a connection per worker thread; each one's page cache is
   * capped at 2 MiB (about SQLite's default), so that memory does not
   * grow with the size of the database: the other pages stay in the OS
   * cache. That holds what a write pump's lease, its identity-map read and
   * its settle touch (a record-index leaf, a map leaf and a queue page
   * for each of 64 records, and the pages above them); at 512 KiB a
   * first load read 1.1 pages a record more from the WAL, pages it had
   * read before. */
  if (!exec (self, "PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON; "
                   "PRAGMA cache_size = -2048", doing, error))
    return FALSE;

  return migrate (self, error);
}

/* --- the object -------------------------------------------------------- */

static void
cc_store_dispose (GObject *object)
{
  CcStore *self = CC_STORE (object);

  for (guint i = 0; i < N_STMTS; i++)
    g_clear_pointer (&self->stmts[i], sqlite3_finalize);
  if (self->db != NULL)
    {
      /* The last connection to close checkpoints and removes the WAL:
       * never the checkpointer's, which is waited for. */
      cc_store_checkpoint_wait ();
      sqlite3_close (self->db);
      self->db = NULL;
    }

  G_OBJECT_CLASS (cc_store_parent_class)->dispose (object);
}

static void
cc_store_finalize (GObject *object)
{
  CcStore *self = CC_STORE (object);

  g_free (self->path);

  G_OBJECT_CLASS (cc_store_parent_class)->finalize (object);
}

static void
cc_store_get_property (GObject    *object,
                       guint       prop_id,
                       GValue     *value,
                       GParamSpec *pspec)
{
  CcStore *self = CC_STORE (object);

  switch (prop_id)
    {
    case PROP_PATH:
      g_value_set_string (value, self->path);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cc_store_set_property (GObject      *object,
                       guint         prop_id,
                       const GValue *value,
                       GParamSpec   *pspec)
{
  CcStore *self = CC_STORE (object);

  switch (prop_id)
    {
    case PROP_PATH:
      self->path = g_value_dup_string (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cc_store_class_init (CcStoreClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = cc_store_dispose;
  object_class->finalize = cc_store_finalize;
  object_class->get_property = cc_store_get_property;
  object_class->set_property = cc_store_set_property;

  properties[PROP_PATH] =
    g_param_spec_string ("path", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY |
                          G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
cc_store_init (CcStore *self)
{
}

CcStore *
cc_store_open (const char  *path,
               GError     **error)
{
  g_autoptr(CcStore) self = NULL;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  self = g_object_new (CC_TYPE_STORE, "path", path, NULL);
  if (!cc_store_open_db (self, error))
    return NULL;
  return g_steal_pointer (&self);
}

const char *
cc_store_get_path (CcStore *self)
{
  g_return_val_if_fail (CC_IS_STORE (self), NULL);

  return self->path;
}
