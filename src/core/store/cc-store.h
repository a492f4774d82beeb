/* cc-store.h — the engine's durable state: one SQLite database (WAL).
 *
 * Holds, per workflow: the queue of records read and not yet written (the
 * Backlog), read cursors, key/value maps (the source id → target key
 * identity map, last-written values for echo suppression), counters, the
 * run history, the error log and whether the user wants it running; and
 * the calls made to Campaign's API today.
 *
 * A CcStore is one SQLite connection and belongs to one thread at a time;
 * every thread that needs the database opens its own CcStore on the same
 * file (WAL lets readers and one writer work side by side; writers wait on
 * a busy timeout). Every function that changes more than one row does so in
 * one transaction: after a crash the database holds either all of it or
 * none of it.
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef enum
{
  CC_QUEUE_OP_UPSERT,
  CC_QUEUE_OP_DELETE,
} CcQueueOp;

/* "upsert" or "delete": how the D-Bus interface and an export say it. */
const char *cc_queue_op_to_string (CcQueueOp op);

/* One queued record. */
typedef struct
{
  gint64     id;          /* row id; 0 before it is queued */
  char      *mapping;     /* which mapping (table, event type, field pair) it belongs to */
  char      *key;         /* the record's identity in the source (e.g. a contactid) */
  CcQueueOp  op;
  char      *payload;     /* JSON text: the mapped record, ready to write */
  guint      flags;       /* CC_QUEUE_FLAG_* */
  guint      attempts;    /* how often a write was tried and failed transiently */
  gint64     queued_at;   /* unix time, microseconds */
} CcQueueItem;

typedef enum
{
  CC_QUEUE_FLAG_FULL = 1 << 0,  /* first load or replay: write every field,
                                 * also those whose "apply updates" is off */
  CC_QUEUE_FLAG_BACKFILL = 1 << 1, /* a backfill: the record is in the target,
                                    * which lacks the fields newly mapped */
} CcQueueFlags;

/* One entry of the error log. */
typedef struct
{
  gint64  id;
  char   *mapping;
  char   *key;
  CcQueueOp op;
  char   *payload;
  guint   flags;
  guint   http_status;   /* 0 when the error did not come from HTTP */
  char   *reason;
  gint64  failed_at;     /* unix time, microseconds */
} CcErrorEntry;

/* Which entries of an error log a query is about; NULL members (and a
 * NULL filter) match every entry. */
typedef struct
{
  gint64      id;        /* 0: any; else this entry only */
  const char *reason;    /* exactly this reason */
  const char *key;       /* exactly this record id */
  const char *search;    /* found in the reason, the record id or the mapping
                          * (ignoring the case of ASCII letters); "" = any */
} CcErrorFilter;

/* Copies @from into @to with strings of its own, for a filter that must
 * outlive the caller's strings; cc_error_filter_clear() frees them
 * (g_auto (CcErrorFilter) does). Only for such copies. */
void cc_error_filter_copy  (const CcErrorFilter *from,
                            CcErrorFilter       *to);
void cc_error_filter_clear (CcErrorFilter       *filter);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (CcErrorFilter, cc_error_filter_clear)

/* Entries of an error log that failed for one reason. */
typedef struct
{
  char   *reason;
  guint64 count;
  gint64  last_failed_at;  /* unix time, microseconds */
} CcErrorGroup;

/* One entry of the run history. */
typedef struct
{
  gint64  id;
  gint64  at;            /* unix time, microseconds */
  char   *kind;          /* "start", "stop", "fail", "replay", "conflict", … */
  char   *message;
  guint64 written;
  guint64 failed;
} CcHistoryEntry;

CcQueueItem    *cc_queue_item_new          (const char *mapping,
                                            const char *key,
                                            CcQueueOp   op,
                                            const char *payload,
                                            guint       flags);
void            cc_queue_item_free         (CcQueueItem    *item);
void            cc_error_entry_free        (CcErrorEntry   *entry);
void            cc_error_group_free        (CcErrorGroup   *group);
void            cc_history_entry_free      (CcHistoryEntry *entry);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CcQueueItem, cc_queue_item_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CcErrorEntry, cc_error_entry_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CcErrorGroup, cc_error_group_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CcHistoryEntry, cc_history_entry_free)

/* See cc_store_settle(). */
typedef struct _CcStoreBatch CcStoreBatch;

#define CC_TYPE_STORE (cc_store_get_type ())
G_DECLARE_FINAL_TYPE (CcStore, cc_store, CC, STORE, GObject)

/* Opens (creating it and its folder if needed) the database at @path and
 * brings its schema up to date. */
CcStore   *cc_store_open            (const char    *path,
                                     GError       **error);
const char *cc_store_get_path       (CcStore       *self);

/* --- queue ------------------------------------------------------------ */

/* In one transaction: queues @items (CcQueueItem*) for @workflow and, when
 * @cursor_name is not NULL, sets that cursor to @cursor_value (NULL clears
 * it). A queued, not leased item with the same (mapping, key) is replaced by
 * the newer one (its flags are OR'ed in), so the backlog counts each record
 * once; an item already leased is left alone and the newer one is queued
 * behind it. Sets each item's id.
 *
 * The replaced row keeps its id and queued_at, i.e. its place in line: the
 * queue is ordered by when a record was first queued, so a record that
 * changes all the time is not pushed back forever. Each item's id and
 * queued_at are set to those of the row it went to.
 *
 * An item without a mapping or a key fails the call with an error; like
 * any failure it rolls back every item and the cursor, and leaves every
 * item's id at 0. */
gboolean   cc_store_enqueue         (CcStore       *self,
                                     const char    *workflow,
                                     GPtrArray     *items,
                                     const char    *cursor_name,
                                     const char    *cursor_value,
                                     GError       **error);
/* As cc_store_enqueue(), and saves the map changes of @maps (nothing else
 * of it) in the same transaction: what the reader learnt from the page
 * (e.g. which versions it has queued) is kept if and only if the page is
 * queued. */
gboolean   cc_store_enqueue_with_maps (CcStore     *self,
                                       const char  *workflow,
                                       GPtrArray   *items,
                                       const char  *cursor_name,
                                       const char  *cursor_value,
                                       CcStoreBatch *maps,
                                       GError     **error);

/* Leases up to @max items of @workflow, oldest first, skipping any whose
 * (mapping, key) has another item already leased (so one record's writes
 * never overtake each other). Returns a new array of CcQueueItem* (free with
 * g_ptr_array_unref), possibly empty. */
GPtrArray *cc_store_lease           (CcStore       *self,
                                     const char    *workflow,
                                     guint          max,
                                     GError       **error);

/* What a writer settled about the items of its lease, kept in memory and
 * committed in one transaction by cc_store_settle(): done items leave the
 * queue, items to try again are given back, rejected ones move to the
 * error log, the identity-map changes the writes made are saved, and the
 * counters grow. One transaction per lease, not one per record: the
 * writers of a workflow share one write lock. A crash before the commit
 * leaves every item leased (so written again at the next start) and no
 * map change saved, which idempotent upserts make harmless. */
CcStoreBatch *cc_store_batch_new        (const char    *workflow);
void          cc_store_batch_free       (CcStoreBatch  *batch);
/* Empties @batch for the next lease. */
void          cc_store_batch_clear      (CcStoreBatch  *batch);
/* @id was written (or needs no write): it leaves the queue, and any entry
 * of the same record in the error log is superseded and goes too. Only a
 * leased item of the batch's workflow is removed: one whose lease
 * cc_store_release_all() cleared is written once more, which idempotent
 * upserts make harmless. */
void          cc_store_batch_done       (CcStoreBatch  *batch,
                                         gint64         id);
/* @id failed transiently: it is given back, attempts += 1. If a newer
 * change of the same record waits behind it, the two become one row: the
 * item's place in line with the newer op and payload (flags OR'ed). */
void          cc_store_batch_again      (CcStoreBatch  *batch,
                                         gint64         id);
/* @id was refused for good: it moves to the error log with @reason and
 * @http_status (0 when the refusal did not come from HTTP); failed += 1. */
void          cc_store_batch_fail       (CcStoreBatch  *batch,
                                         gint64         id,
                                         guint          http_status,
                                         const char    *reason);
/* Adds @n to the written counter (what counts as one write is the
 * workflow's to say). */
void          cc_store_batch_add_written (CcStoreBatch *batch,
                                          guint         n);
/* Sets (@value NULL: deletes) a map entry at commit time. */
void          cc_store_batch_map_set    (CcStoreBatch  *batch,
                                         const char    *space,
                                         const char    *key,
                                         const char    *value);
/* TRUE when @batch holds a change of (@space, @key); then *@value is its
 * new value, NULL for a deletion. */
gboolean      cc_store_batch_map_lookup (CcStoreBatch  *batch,
                                         const char    *space,
                                         const char    *key,
                                         const char   **value);
guint         cc_store_batch_get_written (CcStoreBatch *batch);
guint         cc_store_batch_get_failed (CcStoreBatch  *batch);
/* Items given back so far. */
guint         cc_store_batch_get_again  (CcStoreBatch  *batch);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CcStoreBatch, cc_store_batch_free)

/* Commits @batch in one transaction (it stays as it is: clear it). On
 * failure nothing of it is saved and every item stays leased. */
gboolean   cc_store_settle          (CcStore       *self,
                                     CcStoreBatch  *batch,
                                     GError       **error);

/* Clears every lease of @workflow (at start: the previous run may have
 * died holding some). Merges newer changes as cc_store_batch_again() does, but
 * leaves attempts alone: a dead run's lease says nothing about a failure. */
gboolean   cc_store_release_all     (CcStore       *self,
                                     const char    *workflow,
                                     GError       **error);

/* Records queued and not yet written (leased ones included). Cheap: kept
 * as a count, not counted. 0 with @error set on failure. */
guint64    cc_store_count_backlog   (CcStore       *self,
                                     const char    *workflow,
                                     GError       **error);

/* Sets *@found to whether an item of @workflow's @mapping is queued
 * (leased or not) that is of record @key (NULL: of any) and has one of
 * @flags (0: whatever its flags): whether a record waits to be written,
 * or what a read queued with a flag is all written. */
gboolean   cc_store_has_queued      (CcStore       *self,
                                     const char    *workflow,
                                     const char    *mapping,
                                     const char    *key,
                                     guint          flags,
                                     gboolean      *found,
                                     GError       **error);

/* Drops every queued item of @workflow (e.g. when a mapping is removed). */
gboolean   cc_store_clear_queue     (CcStore       *self,
                                     const char    *workflow,
                                     GError       **error);

/* --- cursors ---------------------------------------------------------- */

char      *cc_store_get_cursor      (CcStore       *self,
                                     const char    *workflow,
                                     const char    *name,
                                     GError       **error);
gboolean   cc_store_set_cursor      (CcStore       *self,
                                     const char    *workflow,
                                     const char    *name,
                                     const char    *value,   /* NULL deletes */
                                     GError       **error);
/* Deletes every cursor of @workflow whose name starts with @prefix
 * ("" = all): a replay or a full resync starts from scratch. */
gboolean   cc_store_clear_cursors   (CcStore       *self,
                                     const char    *workflow,
                                     const char    *prefix,
                                     GError       **error);

/* --- key/value maps ---------------------------------------------------- */
/* A map is named by @space (e.g. "ingress:contact→profile:identity"). */

char      *cc_store_map_get         (CcStore       *self,
                                     const char    *space,
                                     const char    *key,
                                     GError       **error);
/* Reads the entries of @space for @n_keys @keys in one read transaction
 * (not inside a write transaction), and puts those found into @values
 * (key → value, both newly allocated). */
gboolean   cc_store_map_get_many    (CcStore            *self,
                                     const char         *space,
                                     const char * const *keys,
                                     guint               n_keys,
                                     GHashTable         *values,
                                     GError            **error);
gboolean   cc_store_map_set         (CcStore       *self,
                                     const char    *space,
                                     const char    *key,
                                     const char    *value,   /* NULL deletes */
                                     GError       **error);
/* Calls @func for every key of @space, in key order; stops when it
 * returns FALSE. @func may use the store, even change the map: rows are
 * read in pages and no statement is open while it runs. Not a snapshot:
 * another connection's changes may show up part way. */
gboolean   cc_store_map_foreach     (CcStore       *self,
                                     const char    *space,
                                     gboolean     (*func) (const char *key,
                                                           const char *value,
                                                           gpointer    user_data),
                                     gpointer       user_data,
                                     GError       **error);
gboolean   cc_store_map_clear       (CcStore       *self,
                                     const char    *space,
                                     GError       **error);

/* --- counters ---------------------------------------------------------- */

gboolean   cc_store_add_counts      (CcStore       *self,
                                     const char    *workflow,
                                     guint64        written,
                                     guint64        failed,
                                     GError       **error);
gboolean   cc_store_get_counts      (CcStore       *self,
                                     const char    *workflow,
                                     guint64       *written,
                                     guint64       *failed,
                                     GError       **error);

/* --- error log --------------------------------------------------------- */

guint64    cc_store_count_errors    (CcStore       *self,
                                     const char    *workflow,
                                     GError       **error);
/* Newest first; at most @limit entries (0 = all) starting at @offset. */
GPtrArray *cc_store_list_errors     (CcStore       *self,
                                     const char    *workflow,
                                     guint          offset,
                                     guint          limit,
                                     GError       **error);
/* The same for the entries @filter matches (NULL: every one). */
guint64    cc_store_count_errors_matching (CcStore             *self,
                                           const char          *workflow,
                                           const CcErrorFilter *filter,
                                           GError             **error);
GPtrArray *cc_store_list_errors_matching  (CcStore             *self,
                                           const char          *workflow,
                                           const CcErrorFilter *filter,
                                           guint                offset,
                                           guint                limit,
                                           GError             **error);
/* Called by cc_store_foreach_error() with each entry in turn (valid
 * during the call); returning FALSE with @error set stops it. */
typedef gboolean (*CcErrorFunc) (const CcErrorEntry  *entry,
                                 gpointer             user_data,
                                 GError             **error);
/* Calls @func on every entry @filter matches, newest first, one at a
 * time, however many there are. FALSE with @error when reading fails or
 * @func does. */
gboolean   cc_store_foreach_error         (CcStore             *self,
                                           const char          *workflow,
                                           const CcErrorFilter *filter,
                                           CcErrorFunc          func,
                                           gpointer             user_data,
                                           GError             **error);
/* CcErrorGroup*: the entries @filter matches, one group per reason, the
 * largest first; at most @limit groups (0 = all). */
GPtrArray *cc_store_list_error_groups     (CcStore             *self,
                                           const char          *workflow,
                                           const CcErrorFilter *filter,
                                           guint                limit,
                                           GError             **error);
/* Moves error-log entries back into the queue (@id = 0: all of @workflow's);
 * returns how many, or -1 on error. They go to the end of the queue, in the
 * order they failed, with attempts 0. Where entries meet a record that is
 * already waiting, that waiting change is the newer one and keeps its
 * payload (taking the entries' flags); among several entries of one
 * record, the later failure wins. */
gint64     cc_store_retry_errors    (CcStore       *self,
                                     const char    *workflow,
                                     gint64         id,
                                     GError       **error);
/* The same for the entries @filter matches (NULL: every one). */
gint64     cc_store_retry_errors_matching (CcStore             *self,
                                           const char          *workflow,
                                           const CcErrorFilter *filter,
                                           GError             **error);

/* --- run history ------------------------------------------------------- */

gboolean   cc_store_add_history     (CcStore       *self,
                                     const char    *workflow,
                                     const char    *kind,
                                     const char    *message,
                                     guint64        written,
                                     guint64        failed,
                                     GError       **error);
/* Adds @entry (its kind, message, counts, and time: 0 = now); its id is
 * not used. */
gboolean   cc_store_add_history_entry (CcStore             *self,
                                       const char          *workflow,
                                       const CcHistoryEntry *entry,
                                       GError             **error);
/* Newest first, at most @limit (0 = all). The history keeps the newest
 * 10000 entries of each workflow. */
GPtrArray *cc_store_list_history    (CcStore       *self,
                                     const char    *workflow,
                                     guint          limit,
                                     GError       **error);

/* --- what the user wants running ---------------------------------------- */

/* Records, durably at once, whether the user wants @workflow running: set
 * when it is started, cleared when it is stopped or fails in a way that
 * needs a person. An engine that starts, after a clean shutdown or a
 * crash, resumes exactly the workflows wanted running. */
gboolean   cc_store_set_wanted      (CcStore       *self,
                                     const char    *workflow,
                                     gboolean       running,
                                     GError       **error);
/* The workflows wanted running, in the order they were started. NULL
 * with @error set on failure. */
GStrv      cc_store_list_wanted     (CcStore       *self,
                                     GError       **error);

/* --- calls made to a service's API, per UTC day ------------------------- */

/* The calls counted for @service ("campaign") on @day ("YYYY-MM-DD",
 * UTC); 0 when none were. */
gboolean   cc_store_get_api_calls   (CcStore       *self,
                                     const char    *service,
                                     const char    *day,
                                     guint64       *calls,
                                     GError       **error);
/* Sets them, durably at once, and forgets @service's other days. */
gboolean   cc_store_set_api_calls   (CcStore       *self,
                                     const char    *service,
                                     const char    *day,
                                     guint64        calls,
                                     GError       **error);

G_END_DECLS
