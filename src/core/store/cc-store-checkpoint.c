/* cc-store-checkpoint.c — copying the WAL back into the database file,
 * away from the threads that write.
 *
 * SQLite's automatic checkpoint runs inside the commit that grows the WAL
 * past its limit: the committing thread copies every page and waits for
 * two fsyncs (3 ms each on an idle disk, far more on a busy one). For a
 * write pump that is every answer of its hundreds of requests in flight
 * left unread meanwhile. Here the commit only asks; one thread of the
 * process checkpoints, with a connection of its own opened for the
 * purpose, while the writers go on appending to the WAL.
 *
 * A passive checkpoint copies what no reader still needs and never waits
 * for a lock; what it could not copy the next one does. One at a time per
 * process: a commit that finds one queued or under way asks for none.
 */
#include "config.h"

#include "cc-store-private.h"

static GMutex lock;
static GCond done;
static GThreadPool *checkpointer;   /* one thread, made when first needed */
static gboolean busy;               /* a checkpoint is queued or under way */
static guint finished;              /* checkpoints run, for tests */

static void
run_checkpoint (gpointer data,
                gpointer unused)
{
  g_autofree char *path = data;
  sqlite3 *db = NULL;

  /* Without SQLITE_OPEN_CREATE: a database removed meanwhile is not made
   * anew. This connection is never the last one of its database, since
   * every CcStore waits for it before closing (cc_store_checkpoint_wait),
   * so closing it does not remove the WAL under anyone. */
  if (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, NULL) == SQLITE_OK)
    {
      /* A connection learns that the database is in WAL mode when it
       * first reads it; until then it has no WAL to checkpoint. */
      sqlite3_exec (db, "PRAGMA schema_version", NULL, NULL, NULL);
      sqlite3_wal_checkpoint_v2 (db, NULL, SQLITE_CHECKPOINT_PASSIVE, NULL, NULL);
    }
  sqlite3_close (db);

  g_mutex_lock (&lock);
  busy = FALSE;
  finished++;
  g_cond_broadcast (&done);
  g_mutex_unlock (&lock);
}

void
cc_store_checkpoint_request (const char *path)
{
  g_mutex_lock (&lock);
  if (!busy)
    {
      if (checkpointer == NULL)
        checkpointer = g_thread_pool_new (run_checkpoint, NULL, 1, FALSE, NULL);
      busy = TRUE;
      g_thread_pool_push (checkpointer, g_strdup (path), NULL);
    }
  g_mutex_unlock (&lock);
}

guint
cc_store_checkpoint_wait (void)
{
  guint n;

  g_mutex_lock (&lock);
  while (busy)
    g_cond_wait (&done, &lock);
  n = finished;
  g_mutex_unlock (&lock);
  return n;
}
