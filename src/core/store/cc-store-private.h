/* cc-store-private.h — what the files of CcStore share: the instance, the
 * statement cache, transactions and error reporting, and the steps of the
 * queue that settling and the error log take too.
 *
 * cc-store.c holds the connection and the schema, cc-store-queue.c the
 * queue, cc-store-settle.c what a writer settles about its lease,
 * cc-store-errors.c the error log, cc-store-tables.c the cursors, maps,
 * counters, history, the workflows wanted running and the API calls of
 * the day, cc-store-checkpoint.c the thread that copies the WAL back into
 * the database file.
 */
#pragma once

#include <sqlite3.h>

#include "cc-store.h"

G_BEGIN_DECLS

/* One slot per cached statement. The SQL lives next to the code that runs
 * it; the slot only says where the prepared statement is kept. */
typedef enum
{
  STMT_BEGIN,
  STMT_COMMIT,
  STMT_ROLLBACK,
  STMT_BEGIN_READ,

  STMT_CURSOR_GET,
  STMT_CURSOR_SET,
  STMT_CURSOR_DELETE,
  STMT_CURSOR_CLEAR,
  STMT_MAP_GET,
  STMT_MAP_SET,
  STMT_MAP_DELETE,
  STMT_MAP_PAGE,
  STMT_MAP_CLEAR,
  STMT_COUNTS_ADD,
  STMT_COUNTS_GET,
  STMT_HISTORY_ADD,
  STMT_HISTORY_PRUNE,
  STMT_HISTORY_LIST,
  STMT_WANTED_SET,
  STMT_WANTED_CLEAR,
  STMT_WANTED_LIST,
  STMT_API_CALLS_GET,
  STMT_API_CALLS_SET,
  STMT_API_CALLS_PRUNE,

  STMT_QUEUE_MAX_ID,
  STMT_QUEUE_COUNT_NEW,
  STMT_QUEUE_FIND_PENDING,
  STMT_QUEUE_MERGE_PENDING,
  STMT_QUEUE_INSERT,
  STMT_QUEUE_LEASE,
  STMT_QUEUE_MARK_LEASED,
  STMT_QUEUE_ACK,
  STMT_QUEUE_ACK_SUPERSEDING,
  STMT_ERRORS_SUPERSEDED,
  STMT_ERRORS_ANY,
  STMT_QUEUE_MERGE_ONE,
  STMT_QUEUE_DROP_MERGED_ONE,
  STMT_QUEUE_RELEASE_ONE,
  STMT_QUEUE_MERGE_ALL,
  STMT_QUEUE_DROP_MERGED_ALL,
  STMT_QUEUE_RELEASE_ALL,
  STMT_QUEUE_CLEAR,
  STMT_QUEUE_HAS_FLAGGED,
  STMT_QUEUE_HAS_RECORD,
  STMT_BACKLOG_ADJUST,
  STMT_BACKLOG_GET,
  STMT_BACKLOG_CLEAR,
  STMT_FAIL_COPY,
  STMT_FAIL_DELETE,
  STMT_ERRORS_COUNT,
  STMT_ERRORS_LIST,
  STMT_ERRORS_REQUEUE,
  STMT_ERRORS_DELETE,
  STMT_ERRORS_GROUPS,
  STMT_ERRORS_EACH,

  N_STMTS
} CcStoreSlot;

struct _CcStore
{
  GObject        parent_instance;

  char          *path;
  sqlite3       *db;
  sqlite3_stmt  *stmts[N_STMTS];
  gboolean       write_turn;   /* holds the process's write turn (cc_store_begin) */
  int            wal_pages;    /* the WAL's size after this connection's last commit */
  gboolean       read_only;    /* opened on files it could not write, or refused a
                                * write: opened again once they are writable */
};

/* A refused item of a CcStoreBatch. */
typedef struct
{
  gint64  id;
  guint   http_status;
  char   *reason;
} CcStoreFailure;

/* A map change of a CcStoreBatch. */
typedef struct
{
  char *space;
  char *key;
  char *value;   /* NULL: delete */
} CcStoreMapChange;

struct _CcStoreBatch
{
  char       *workflow;
  GArray     *done;         /* gint64 */
  GArray     *again;        /* gint64 */
  GPtrArray  *failures;     /* CcStoreFailure*, in order */
  GPtrArray  *map_changes;  /* CcStoreMapChange*, in order */
  GHashTable *map_index;    /* "space\x1fkey" → its latest CcStoreMapChange */
  guint       written;
};

/* A cached statement in use. Its auto-cleanup resets it (and drops its
 * bindings) rather than freeing it: a statement left mid-step would keep
 * its read snapshot open, so that this connection would neither see other
 * connections' commits nor let the WAL be checkpointed. */
typedef sqlite3_stmt CcStoreStmt;
void          cc_store_stmt_done         (CcStoreStmt   *stmt);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CcStoreStmt, cc_store_stmt_done)

/* Returns the statement of @slot, preparing @sql the first time. @doing
 * says what the caller was doing, for the error message ("queue records"
 * gives "Could not queue records in <path>: <reason>"). */
CcStoreStmt  *cc_store_prepare           (CcStore       *self,
                                          CcStoreSlot    slot,
                                          const char    *sql,
                                          const char    *doing,
                                          GError       **error);

/* Steps @stmt; returns SQLITE_ROW, SQLITE_DONE, or 0 with @error set. */
int           cc_store_step              (CcStore       *self,
                                          CcStoreStmt   *stmt,
                                          const char    *doing,
                                          GError       **error);

/* Runs @stmt to its end, ignoring any rows. */
gboolean      cc_store_run               (CcStore       *self,
                                          CcStoreStmt   *stmt,
                                          const char    *doing,
                                          GError       **error);

/* --- checkpoints (cc-store-checkpoint.c) ----------------------------------- */

/* A commit that leaves the WAL at least this many pages long asks for a
 * checkpoint. SQLite's default is 1000; with the random record ids of a
 * first load the same index pages come back again and again, and a longer
 * WAL copies each of them once for more commits (fewer writes, fewer
 * fsyncs), for 16 MiB of WAL at most between two checkpoints. */
#define CC_STORE_CHECKPOINT_PAGES 4000

/* Asks the process's checkpointer thread for a passive checkpoint of the
 * database @path, unless one is queued or under way already. */
void          cc_store_checkpoint_request (const char   *path);
/* Waits until no checkpoint is queued or under way; returns how many the
 * process has run. */
guint         cc_store_checkpoint_wait   (void);

/* --- the files (cc-store-files.c) ----------------------------------------- */

/* Gives state.db-wal and state.db-shm the mode of the database @path
 * again when it is writable and they are not (SQLite made them when the
 * database was read-only). */
void          cc_store_repair_files      (const char    *path);
/* Whether the database @path, its folder and its companions may all be
 * written. */
gboolean      cc_store_files_writable    (const char    *path);
/* Which of them is read-only, and what to do, for an error message; NULL
 * when none is. */
char         *cc_store_describe_read_only (const char   *path);

/* Sets @error from the connection's last SQLite error. */
void          cc_store_set_error         (CcStore       *self,
                                          const char    *doing,
                                          GError       **error);

/* BEGIN IMMEDIATE: takes the write lock up front, so that two writers
 * never both hold a read snapshot and then deadlock upgrading it. */
gboolean      cc_store_begin             (CcStore       *self,
                                          const char    *doing,
                                          GError       **error);
/* Commits; on failure rolls back and sets @error. */
gboolean      cc_store_commit            (CcStore       *self,
                                          const char    *doing,
                                          GError       **error);
/* Rolls back if a transaction is open; never fails in a way the caller
 * could act on (SQLite may already have rolled back by itself). */
void          cc_store_rollback          (CcStore       *self);

/* Sets or deletes (@value NULL) one cursor, inside the caller's
 * transaction if it has one. */
gboolean      cc_store_write_cursor      (CcStore       *self,
                                          const char    *workflow,
                                          const char    *name,
                                          const char    *value,
                                          const char    *doing,
                                          GError       **error);

/* --- the queue's steps (cc-store-queue.c), inside the caller's
 * transaction --------------------------------------------------------- */

/* One change to queue. */
typedef struct
{
  const char *workflow;
  const char *mapping;
  const char *key;
  CcQueueOp   op;
  const char *payload;
  guint       flags;
} CcStoreChange;

/* Adds @delta (may be negative) to @workflow's backlog. */
gboolean      cc_store_adjust_backlog    (CcStore              *self,
                                          const char           *workflow,
                                          gint64                delta,
                                          const char           *doing,
                                          GError              **error);
/* The highest row id the queue has now. AUTOINCREMENT hands out ids above
 * every id ever used, so the rows a transaction inserts after this call
 * are exactly those with a greater id. */
gboolean      cc_store_queue_max_id      (CcStore              *self,
                                          gint64               *max_id,
                                          const char           *doing,
                                          GError              **error);
/* Adds the rows inserted since cc_store_queue_max_id() returned @max_id
 * (an upsert that replaced a waiting row added none) to @workflow's
 * backlog; *@inserted is their number. */
gboolean      cc_store_queue_count_inserted (CcStore           *self,
                                             const char        *workflow,
                                             gint64             max_id,
                                             gint64            *inserted,
                                             const char        *doing,
                                             GError           **error);
/* Queues @change at the end of the line unless its record already waits
 * (replace-newer, see cc-store-queue.c): a waiting row takes the change's
 * flags, and its op and payload too unless its id is @newer_than or lower
 * (then it is the newer change and keeps them; -1: the change is newer
 * than any). *@id and *@queued_at are those of the row that holds it. */
gboolean      cc_store_queue_change      (CcStore              *self,
                                          const CcStoreChange  *change,
                                          gint64                newer_than,
                                          gint64                now,
                                          gint64               *id,
                                          gint64               *queued_at,
                                          const char           *doing,
                                          GError              **error);
/* Saves the map changes of @batch (NULL: none). */
gboolean      cc_store_save_map_changes  (CcStore              *self,
                                          CcStoreBatch         *batch,
                                          GError              **error);

/* Binds @s as text, or NULL when @s is NULL. The string must live until
 * the statement is done. */
void          cc_store_bind_text         (CcStoreStmt   *stmt,
                                          int            index,
                                          const char    *s);
/* Copies a text column (NULL stays NULL). */
char         *cc_store_column_dup        (CcStoreStmt   *stmt,
                                          int            column);

G_END_DECLS
