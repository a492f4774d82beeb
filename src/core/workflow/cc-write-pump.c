/* cc-write-pump.c — many record writes in flight on one thread
 * (cc-write-pump.h).
 *
 * Everything here runs on the pump's thread, from its main context: the
 * writes' answers, the timer that looks at the queue again, the wake-up
 * when the run is stopped. So the pump needs no lock: its leases, its
 * count of writes in flight and its table of records being written are
 * touched by one thread only.
 */
#include "config.h"

#include "cc-error.h"
#include "cc-write-pump.h"

/* How long an empty queue rests before the next look. */
#define IDLE_MS 100
/* Threads above this many writes in flight each. */
#define WRITES_PER_THREAD 128
#define MAX_THREADS 2

/* One lease: its records, in the order they were leased, and what their
 * writes came to so far. */
typedef struct
{
  GPtrArray    *items;     /* CcQueueItem* */
  CcStoreBatch *batch;
  guint         next;      /* the next record to start */
  guint         open;      /* writes started that have not ended */
  guint         written;   /* records done */
  gboolean      backoff;   /* the service struggled: start no more of it */
  GPtrArray    *known;     /* Entries*: map entries of its records, read
                            * together (cc_write_map_get) */
} Lease;

/* The entries of one map space for the records of a lease of one
 * mapping, as the database had them (with what settled since). */
typedef struct
{
  char       *space;
  char       *mapping;
  GHashTable *values;   /* key → value; a key not in it has none */
} Entries;

typedef struct
{
  CcWrite          *write;
  CcWriteStartFunc  resume;
} Follower;

struct _CcWritePump
{
  CcRun            *run;
  CcStore          *store;
  const char       *workflow;
  GMainContext     *context;
  GCancellable     *cancellable;
  CcWriteStartFunc  start;
  CcWriteSettledFunc settled;
  gpointer          user_data;

  guint             max_in_flight;
  guint             in_flight;
  GPtrArray        *leases;      /* Lease*, oldest first */
  GHashTable       *writing;     /* "mapping\x1fkey" → CcWrite* in flight */
  gint64            resume_at;   /* monotonic µs: lease nothing before */
  guint             streak;      /* leases in a row that eased off with nothing written */
  GSource          *wake;        /* looks at the queue again */
  gboolean          pumping;
  gboolean          pump_again;
  GError           *fatal;       /* the first error that ends the pump */
};

struct _CcWrite
{
  CcWritePump       *pump;
  Lease             *lease;
  const CcQueueItem *item;       /* the lease's */
  char              *flight_key;
  gpointer           data;
  GDestroyNotify     destroy;
  GArray            *followers;  /* Follower; NULL: none */
};

guint
cc_write_pump_count_threads (guint write_concurrency)
{
  return CLAMP ((write_concurrency + WRITES_PER_THREAD - 1) / WRITES_PER_THREAD, 1, MAX_THREADS);
}

guint
cc_write_pump_share (guint write_concurrency,
                     guint index,
                     guint n_threads)
{
  return write_concurrency / n_threads + (index < write_concurrency % n_threads ? 1 : 0);
}

static void pump (CcWritePump *self);

/* --- leases ----------------------------------------------------------- */

static void
entries_free (Entries *entries)
{
  g_free (entries->space);
  g_free (entries->mapping);
  g_hash_table_unref (entries->values);
  g_free (entries);
}

static void
lease_free (Lease *lease)
{
  g_ptr_array_unref (lease->items);
  cc_store_batch_free (lease->batch);
  g_ptr_array_unref (lease->known);
  g_free (lease);
}

static gboolean
is_stopping (CcWritePump *self)
{
  return self->fatal != NULL || cc_run_is_cancelled (self->run);
}

/* Every write of @lease has ended, or will never start. */
static gboolean
lease_is_complete (CcWritePump *self,
                   Lease       *lease)
{
  return lease->open == 0 && (lease->next == lease->items->len || is_stopping (self));
}

/* The map changes of @settled, which its settle is about to save, are
 * carried into the entries the other leases read before: afterwards the
 * database has them, and @settled no longer holds them. A lease's entries
 * are those of its own records' ids, and the queue never leases a change
 * of a record while another is leased, so this matters only where a
 * record's parent, in another mapping, has the record's own id. Without
 * it such a record would look its parent up in Campaign once more. */
static void
carry_map_changes (CcWritePump *self,
                   Lease       *settled)
{
  for (guint i = 0; i < self->leases->len; i++)
    {
      Lease *lease = g_ptr_array_index (self->leases, i);

      if (lease == settled)
        continue;
      for (guint j = 0; j < lease->known->len; j++)
        {
          Entries *entries = g_ptr_array_index (lease->known, j);

          for (guint k = 0; k < lease->items->len; k++)
            {
              const CcQueueItem *item = g_ptr_array_index (lease->items, k);
              const char *value;

              if (!g_str_equal (item->mapping, entries->mapping) ||
                  !cc_store_batch_map_lookup (settled->batch, entries->space, item->key, &value))
                continue;
              if (value != NULL)
                g_hash_table_replace (entries->values, g_strdup (item->key), g_strdup (value));
              else
                g_hash_table_remove (entries->values, item->key);
            }
        }
    }
}

/* Forgets the map entries every lease read: they are read again when
 * asked for. */
static void
forget_entries (CcWritePump *self)
{
  for (guint i = 0; i < self->leases->len; i++)
    g_ptr_array_set_size (((Lease *) g_ptr_array_index (self->leases, i))->known, 0);
}

/* Commits what the writes of @lease came to, and eases off when the
 * service struggled or nothing but retries came of it. */
static void
settle (CcWritePump *self,
        Lease       *lease)
{
  gboolean ease_off = lease->backoff
                      || (lease->written == 0 && cc_store_batch_get_again (lease->batch) > 0);

  carry_map_changes (self, lease);
  if (!cc_run_settle (self->run, self->store, lease->batch, self->fatal ? NULL : &self->fatal))
    forget_entries (self);
  if (self->settled != NULL)
    self->settled (self->store, self->user_data);
  if (ease_off)
    self->resume_at = g_get_monotonic_time ()
                      + (gint64) cc_run_backoff_ms (MIN (self->streak, 8)) * 1000;
  /* The backoff grows only while leases get nothing written: a service
   * that fails a few writes of every lease is slowed a little, not
   * stopped for half a minute between leases. */
  if (ease_off && lease->written == 0)
    self->streak++;
  else
    self->streak = 0;
}

static void
settle_complete_leases (CcWritePump *self)
{
  for (guint i = 0; i < self->leases->len;)
    {
      Lease *lease = g_ptr_array_index (self->leases, i);

      if (!lease_is_complete (self, lease))
        {
          i++;
          continue;
        }
      settle (self, lease);
      g_ptr_array_remove_index (self->leases, i);
    }
}

/* The oldest lease with a record not started yet, or NULL. */
static Lease *
next_lease (CcWritePump *self)
{
  for (guint i = 0; i < self->leases->len; i++)
    {
      Lease *lease = g_ptr_array_index (self->leases, i);

      if (lease->next < lease->items->len)
        return lease;
    }
  return NULL;
}

/* --- waking up -------------------------------------------------------- */

static gboolean
on_wake (gpointer data)
{
  CcWritePump *self = data;

  g_clear_pointer (&self->wake, g_source_unref);
  pump (self);
  return G_SOURCE_REMOVE;
}

/* Pumps again in @ms (unless a wake-up is due already). */
static void
wake_in (CcWritePump *self,
         guint        ms)
{
  if (self->wake != NULL)
    return;
  self->wake = g_timeout_source_new (ms);
  g_source_set_static_name (self->wake, "[cc] write pump");
  g_source_set_callback (self->wake, on_wake, self, NULL);
  g_source_attach (self->wake, self->context);
}

/* --- writes ----------------------------------------------------------- */

static char *
flight_key (const char *mapping,
            const char *key)
{
  return g_strconcat (mapping, "\x1f", key, NULL);
}

static void
start_write (CcWritePump       *self,
             Lease             *lease,
             const CcQueueItem *item)
{
  CcWrite *write = g_new0 (CcWrite, 1);

  write->pump = self;
  write->lease = lease;
  write->item = item;
  write->flight_key = flight_key (item->mapping, item->key);
  g_hash_table_insert (self->writing, write->flight_key, write);
  lease->open++;
  self->in_flight++;
  self->start (write, self->user_data);
}

static gboolean
resume_follower (gpointer data)
{
  Follower *follower = data;

  follower->resume (follower->write, follower->write->pump->user_data);
  return G_SOURCE_REMOVE;
}

/* The writes that waited for @write go on, each from the main context
 * (never from within the write that ended). */
static void
resume_followers (CcWrite *write)
{
  if (write->followers == NULL)
    return;
  for (guint i = 0; i < write->followers->len; i++)
    {
      g_autoptr(GSource) source = g_idle_source_new ();

      g_source_set_static_name (source, "[cc] write resumes");
      g_source_set_callback (source, resume_follower,
                             g_memdup2 (&g_array_index (write->followers, Follower, i),
                                        sizeof (Follower)),
                             g_free);
      g_source_attach (source, write->pump->context);
    }
}

/* Forgets @write once its outcome is in its lease's batch. */
static void
end_write (CcWrite *write)
{
  CcWritePump *self = write->pump;

  g_hash_table_remove (self->writing, write->flight_key);
  resume_followers (write);
  write->lease->open--;
  self->in_flight--;
  if (write->destroy != NULL)
    write->destroy (write->data);
  g_clear_pointer (&write->followers, g_array_unref);
  g_free (write->flight_key);
  g_free (write);
  pump (self);
}

void
cc_write_done (CcWrite *write,
               guint    written)
{
  Lease *lease = write->lease;

  cc_store_batch_done (lease->batch, write->item->id);
  cc_store_batch_add_written (lease->batch, written);
  lease->written++;
  end_write (write);
}

void
cc_write_fail (CcWrite *write,
               GError  *error)
{
  Lease *lease = write->lease;
  gint64 id = write->item->id;

  g_return_if_fail (error != NULL);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    ;  /* stays leased, as if it never went out */
  else if (g_error_matches (error, CC_ERROR, CC_ERROR_TRANSIENT))
    {
      g_debug ("%s: %s", cc_run_get_workflow_id (write->pump->run), error->message);
      cc_store_batch_again (lease->batch, id);
      lease->backoff = TRUE;
    }
  else
    {
      cc_store_batch_again (lease->batch, id);
      lease->backoff = TRUE;
      if (write->pump->fatal == NULL)
        write->pump->fatal = g_steal_pointer (&error);
    }
  g_clear_error (&error);
  end_write (write);
}

void
cc_write_again (CcWrite *write)
{
  cc_store_batch_again (write->lease->batch, write->item->id);
  end_write (write);
}

void
cc_write_reject (CcWrite    *write,
                 guint       http_status,
                 const char *reason)
{
  cc_store_batch_fail (write->lease->batch, write->item->id, http_status, reason);
  end_write (write);
}

const CcQueueItem *
cc_write_get_item (CcWrite *write)
{
  return write->item;
}

CcStore *
cc_write_get_store (CcWrite *write)
{
  return write->pump->store;
}

GCancellable *
cc_write_get_cancellable (CcWrite *write)
{
  return write->pump->cancellable;
}

gpointer
cc_write_get_user_data (CcWrite *write)
{
  return write->pump->user_data;
}

void
cc_write_set_data (CcWrite        *write,
                   gpointer        data,
                   GDestroyNotify  destroy)
{
  if (write->destroy != NULL)
    write->destroy (write->data);
  write->data = data;
  write->destroy = destroy;
}

gpointer
cc_write_get_data (CcWrite *write)
{
  return write->data;
}

void
cc_write_map_set (CcWrite    *write,
                  const char *space,
                  const char *key,
                  const char *value)
{
  cc_store_batch_map_set (write->lease->batch, space, key, value);
}

/* A map entry as the pump's unsettled leases have it (written by a write
 * that ended and is not settled yet): TRUE with *@value (NULL for a
 * removal). FALSE when no such write changed it. */
static gboolean
map_lookup_unsettled (CcWrite     *write,
                      const char  *space,
                      const char  *key,
                      const char **value)
{
  GPtrArray *leases = write->pump->leases;

  /* Newest first: a later lease's change of the same entry is the
   * newer one. */
  for (guint i = leases->len; i > 0; i--)
    {
      Lease *lease = g_ptr_array_index (leases, i - 1);

      if (cc_store_batch_map_lookup (lease->batch, space, key, value))
        return TRUE;
    }
  return FALSE;
}

/* The entries of @space for the records of @write's lease of its
 * mapping, read in one go the first time one of them is asked for. */
static GHashTable *
lease_entries (CcWrite     *write,
               const char  *space,
               GError     **error)
{
  Lease *lease = write->lease;
  const char *mapping = write->item->mapping;
  g_autoptr(GPtrArray) keys = NULL;
  Entries *entries;

  for (guint i = 0; i < lease->known->len; i++)
    {
      entries = g_ptr_array_index (lease->known, i);
      if (g_str_equal (entries->space, space) && g_str_equal (entries->mapping, mapping))
        return entries->values;
    }
  keys = g_ptr_array_sized_new (lease->items->len);
  for (guint i = 0; i < lease->items->len; i++)
    {
      const CcQueueItem *item = g_ptr_array_index (lease->items, i);

      if (g_str_equal (item->mapping, mapping))
        g_ptr_array_add (keys, item->key);
    }
  entries = g_new0 (Entries, 1);
  entries->space = g_strdup (space);
  entries->mapping = g_strdup (mapping);
  entries->values = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  if (!cc_store_map_get_many (write->pump->store, space, (const char * const *) keys->pdata,
                              keys->len, entries->values, error))
    {
      entries_free (entries);
      return NULL;
    }
  g_ptr_array_add (lease->known, entries);
  return entries->values;
}

char *
cc_write_map_get (CcWrite     *write,
                  const char  *space,
                  const char  *key,
                  GError     **error)
{
  const char *unsettled;
  GHashTable *entries;

  if (map_lookup_unsettled (write, space, key, &unsettled))
    return g_strdup (unsettled);
  /* Another record's entry (a parent's): not among the lease's. */
  if (!g_str_equal (key, write->item->key))
    return cc_store_map_get (write->pump->store, space, key, error);
  entries = lease_entries (write, space, error);
  return entries != NULL ? g_strdup (g_hash_table_lookup (entries, key)) : NULL;
}

gboolean
cc_write_wait_for (CcWrite          *write,
                   const char       *mapping,
                   const char       *key,
                   CcWriteStartFunc  resume)
{
  g_autofree char *wanted = flight_key (mapping, key);
  CcWrite *other = g_hash_table_lookup (write->pump->writing, wanted);
  Follower follower = { write, resume };

  if (other == NULL || other == write)
    return FALSE;
  if (other->followers == NULL)
    other->followers = g_array_new (FALSE, FALSE, sizeof (Follower));
  g_array_append_val (other->followers, follower);
  return TRUE;
}

/* --- the pump --------------------------------------------------------- */

/* Leases the next records; FALSE when there are none now (or the
 * database failed: that ends the pump). */
static gboolean
lease_more (CcWritePump *self)
{
  g_autoptr(GPtrArray) items = NULL;
  Lease *lease;

  if (g_get_monotonic_time () < self->resume_at)
    {
      wake_in (self, (guint) ((self->resume_at - g_get_monotonic_time ()) / 1000 + 1));
      return FALSE;
    }
  items = cc_store_lease (self->store, self->workflow, CC_WRITE_PUMP_LEASE, &self->fatal);
  if (items == NULL)
    return FALSE;
  if (items->len == 0)
    {
      /* Idle: the reader fills the queue; look again shortly. */
      wake_in (self, IDLE_MS);
      return FALSE;
    }
  lease = g_new0 (Lease, 1);
  lease->items = g_steal_pointer (&items);
  lease->batch = cc_store_batch_new (self->workflow);
  lease->known = g_ptr_array_new_with_free_func ((GDestroyNotify) entries_free);
  g_ptr_array_add (self->leases, lease);
  return TRUE;
}

/* Fills the free slots: the next record of an open lease, else a new
 * lease; then settles the leases whose writes have all ended. */
static void
pump_once (CcWritePump *self)
{
  while (self->in_flight < self->max_in_flight && !is_stopping (self))
    {
      Lease *lease = next_lease (self);
      const CcQueueItem *item;

      if (lease == NULL)
        {
          if (self->wake != NULL || !lease_more (self))
            break;
          continue;
        }
      item = g_ptr_array_index (lease->items, lease->next++);
      if (lease->backoff)
        cc_store_batch_again (lease->batch, item->id);
      else
        start_write (self, lease, item);
    }
  settle_complete_leases (self);
}

/* A write that ends at once calls back into the pump from within
 * start_write(): that call only asks for another round. */
static void
pump (CcWritePump *self)
{
  if (self->pumping)
    {
      self->pump_again = TRUE;
      return;
    }
  self->pumping = TRUE;
  do
    {
      self->pump_again = FALSE;
      pump_once (self);
    }
  while (self->pump_again);
  self->pumping = FALSE;
}

/* The writes in flight take the pump's own cancellable, which is
 * cancelled on the pump's thread, never the run's: GLib 2.74 may use a
 * GCancellableSource after it is freed when one thread cancels while
 * another drops such a source of the same cancellable, and the pump's
 * thread drops them all the time (each request in flight has some). A
 * stop only marks the pump's "stop" source ready, from whichever thread
 * stops the run; that source is given up after the handler is
 * disconnected, which waits for a cancellation under way. */
static gboolean
dispatch_stop (GSource     *source,
               GSourceFunc  callback,
               gpointer     data)
{
  g_source_set_ready_time (source, -1);
  return callback (data);
}

static GSourceFuncs stop_funcs = { .dispatch = dispatch_stop };

static void
on_run_cancelled (GCancellable *cancellable,
                  gpointer      stop)
{
  g_source_set_ready_time (stop, 0);
}

static gboolean
on_stop (gpointer data)
{
  CcWritePump *self = data;

  g_cancellable_cancel (self->cancellable);
  pump (self);
  return G_SOURCE_CONTINUE;
}

static gboolean
is_done (CcWritePump *self)
{
  return is_stopping (self) && self->in_flight == 0 && self->leases->len == 0;
}

gboolean
cc_write_pump_run (CcRun             *run,
                   guint              in_flight,
                   CcWriteStartFunc   start,
                   CcWriteSettledFunc settled,
                   gpointer           user_data,
                   GError           **error)
{
  CcWritePump self = { 0 };
  GSource *stop;
  gulong stop_handler;

  g_return_val_if_fail (in_flight > 0, FALSE);

  self.store = cc_run_open_store (run, error);
  if (self.store == NULL)
    return FALSE;
  self.run = run;
  self.workflow = cc_run_get_workflow_id (run);
  self.context = g_main_context_ref_thread_default ();
  self.cancellable = g_cancellable_new ();
  self.start = start;
  self.settled = settled;
  self.user_data = user_data;
  self.max_in_flight = in_flight;
  self.leases = g_ptr_array_new_with_free_func ((GDestroyNotify) lease_free);
  self.writing = g_hash_table_new (g_str_hash, g_str_equal);

  stop = g_source_new (&stop_funcs, sizeof (GSource));
  g_source_set_static_name (stop, "[cc] write pump stops");
  g_source_set_callback (stop, on_stop, &self, NULL);
  g_source_attach (stop, self.context);
  stop_handler = g_cancellable_connect (cc_run_get_cancellable (run),
                                        G_CALLBACK (on_run_cancelled), stop, NULL);

  pump (&self);
  while (!is_done (&self))
    g_main_context_iteration (self.context, TRUE);

  g_cancellable_disconnect (cc_run_get_cancellable (run), stop_handler);
  g_source_destroy (stop);
  g_source_unref (stop);
  g_object_unref (self.cancellable);
  if (self.wake != NULL)
    g_source_destroy (self.wake);
  g_clear_pointer (&self.wake, g_source_unref);
  g_ptr_array_unref (self.leases);
  g_hash_table_unref (self.writing);
  g_main_context_unref (self.context);
  g_object_unref (self.store);
  if (self.fatal != NULL)
    {
      g_propagate_error (error, self.fatal);
      return FALSE;
    }
  return TRUE;
}
