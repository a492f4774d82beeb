/* cc-write-pump.h — many record writes in flight on one thread.
 *
 * A writer of a workflow that writes one record per request (ingress,
 * opt-in/opt-out) hides the service's latency by keeping several
 * requests in flight, not by running a thread per request. A pump runs
 * on a worker thread of the run (cc_run_workers), with that thread's own
 * main context, and keeps up to @in_flight writes going at once:
 *
 *  - it leases records from the durable queue CC_WRITE_PUMP_LEASE at a
 *    time (cc_store_lease: no two writes of one record are ever leased
 *    together, so none overtakes another), starts a write for each as a
 *    slot frees up, and settles each lease in one transaction once every
 *    write of it has ended (cc_run_settle): what Campaign took leaves the
 *    queue with the identity-map changes its writes made, exactly as a
 *    blocking writer settles its lease. Several leases are open at once,
 *    so the slots never wait for the slowest write of a lease;
 *  - a write is the kind's (@start): a chain of asynchronous requests on
 *    the thread's main context that ends with cc_write_done(),
 *    cc_write_fail(), cc_write_again() or cc_write_reject(). Nothing in it
 *    may block for long;
 *  - once a write of a lease fails transiently, the writes of that lease
 *    not yet started go back to the queue, and the pump leases nothing
 *    new for a backoff; likewise when a lease wrote nothing but retries.
 *    The backoff doubles only while leases in a row write nothing;
 *  - an error that is neither transient nor a cancellation ends the pump:
 *    it starts nothing more, lets what is in flight end, settles, and
 *    returns that error, which fails the run. The record that met it goes
 *    back to the queue;
 *  - when the run is stopped, what was in flight is cancelled and what
 *    never went out stays leased: the next start gives it back as it was
 *    (cc_store_release_all).
 */
#pragma once

#include "cc-run.h"
#include "cc-store.h"

G_BEGIN_DECLS

/* Records leased at a time: one transaction settles as many. */
#define CC_WRITE_PUMP_LEASE 64
/* The most requests in flight a write-concurrency may ask for. */
#define CC_WRITE_PUMP_MAX_IN_FLIGHT 256

typedef struct _CcWritePump CcWritePump;
/* One record's write, from its start to its end. */
typedef struct _CcWrite CcWrite;

/* Starts @write (cc_write_get_item); it ends, now or later, with one of
 * the four functions at the end of this file. */
typedef void (*CcWriteStartFunc) (CcWrite  *write,
                                  gpointer  user_data);
/* Called after a lease was settled (committed or not), on the pump's
 * thread with its database connection. */
typedef void (*CcWriteSettledFunc) (CcStore  *store,
                                    gpointer  user_data);

/* How many threads carry @write_concurrency writes in flight: one up to
 * 128, two above (the machine's cores, not the service's latency, are
 * what more threads would buy). */
guint              cc_write_pump_count_threads (guint write_concurrency);
/* The writes in flight that thread @index of @n_threads keeps. */
guint              cc_write_pump_share         (guint write_concurrency,
                                                guint index,
                                                guint n_threads);

/* Runs a pump on the calling worker thread until the run is stopped
 * (TRUE) or a write fails it (FALSE with that error). @settled may be
 * NULL. */
gboolean           cc_write_pump_run           (CcRun             *run,
                                                guint              in_flight,
                                                CcWriteStartFunc   start,
                                                CcWriteSettledFunc settled,
                                                gpointer           user_data,
                                                GError           **error);

const CcQueueItem *cc_write_get_item           (CcWrite           *write);
CcStore           *cc_write_get_store          (CcWrite           *write);
/* What the write's requests take: the pump's own, cancelled on its
 * thread when the run is stopped (not the run's, cc-write-pump.c). */
GCancellable      *cc_write_get_cancellable    (CcWrite           *write);
/* The pump's user data, as given to cc_write_pump_run(). */
gpointer           cc_write_get_user_data      (CcWrite           *write);
/* Per-write state of the kind's, freed with @destroy when the write ends. */
void               cc_write_set_data           (CcWrite           *write,
                                                gpointer           data,
                                                GDestroyNotify     destroy);
gpointer           cc_write_get_data           (CcWrite           *write);

/* Saves (@value NULL: forgets) a map entry when the write's lease is
 * settled. */
void               cc_write_map_set            (CcWrite           *write,
                                                const char        *space,
                                                const char        *key,
                                                const char        *value);
/* A map entry as the write's record will find it (NULL: none): as the
 * pump's unsettled leases changed it (the newest change first), else as
 * the database has it. The entries of a lease's records are read
 * together, in one read transaction, when the first of them is asked for
 * in a @space; what other leases settle meanwhile is carried into them,
 * and they are read again only after a settle failed. */
char              *cc_write_map_get            (CcWrite           *write,
                                                const char        *space,
                                                const char        *key,
                                                GError           **error);

/* Whether a write of record (@mapping, @key) is in flight on this pump;
 * then @resume is called with @write once that one has ended (a child
 * waits for its parent rather than overtake it). */
gboolean           cc_write_wait_for           (CcWrite           *write,
                                                const char        *mapping,
                                                const char        *key,
                                                CcWriteStartFunc   resume);

/* Ends @write: the record leaves the queue, and counts as @written
 * writes (what counts as one is the workflow's to say). */
void               cc_write_done               (CcWrite           *write,
                                                guint              written);
/* Ends @write with @error (taken). A cancellation: the record stays
 * leased, as if it never went out. CC_ERROR_TRANSIENT: written again
 * later, and the pump eases off. Anything else: written again later, and
 * the pump ends with @error (the run fails). */
void               cc_write_fail               (CcWrite           *write,
                                                GError            *error);
/* Ends @write without an error, the record given back to be written again
 * later (it must wait: a parent not there yet). */
void               cc_write_again              (CcWrite           *write);
/* Ends @write: refused for good, to the error log with @reason. */
void               cc_write_reject             (CcWrite           *write,
                                                guint              http_status,
                                                const char        *reason);

G_END_DECLS
