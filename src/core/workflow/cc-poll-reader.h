/* cc-poll-reader.h — following a Dynamics 365 table that has no change
 * tracking, for every workflow that reads one.
 *
 * Without change tracking Dataverse offers no change feed, so the reader
 * polls: the rows with `modifiedon ge <watermark>` ordered by modifiedon,
 * page by page (@odata.nextLink), where the watermark is the newest
 * modifiedon read so far. The filter is inclusive because Dataverse stamps
 * modifiedon to the second: a row changed again within the watermark's
 * second must not be missed. So the rows of that second come back at every
 * poll, and a row whose version (its ETag) was already handed out is
 * dropped. The first read of a table (no watermark) hands out every row.
 *
 * Each page is committed in one transaction: the queue items the workflow
 * made of its rows, the new position, and the versions handed out. A crash
 * can neither lose a page nor queue it twice.
 *
 * Polling shows creates and updates, never a delete. So every
 * CC_POLL_SWEEP_POLLS poll intervals the reader also sweeps the table: it
 * reads the ids alone, page by page, and at the end hands the workflow the
 * ids it keeps something for (its "known" map) that the table no longer
 * has. Ids read by the polls while a sweep is under way count as seen too:
 * a row created during a sweep, behind the page the sweep has reached, is
 * not taken for deleted.
 *
 * Positions, stored as cursors of the workflow (documented here because
 * they are read and rewritten elsewhere, e.g. when a mapping's columns
 * change):
 *
 *   read position:  "<phase> <watermark> [<url>]", fields separated by one
 *                   space. <phase> is "poll-first" during the first read
 *                   of the table and "poll" afterwards. <watermark> is the
 *                   newest modifiedon read, as Dataverse wrote it
 *                   (e.g. 2024-05-01T10:00:00Z), or empty before any row.
 *                   <url> is the next page of the read under way, the
 *                   nextLink verbatim (its $select is that of the read's
 *                   first page); absent between reads, when the next poll
 *                   builds its URL from the columns and the watermark.
 *   sweep position: "done <unix time>" between sweeps (when the last one
 *                   ended), "page <url>" during one.
 *
 * A position that is not a read position (e.g. a change-tracking one, left
 * from before the table lost its change tracking) starts a first read.
 *
 * When the columns a workflow reads change (a field added to or removed
 * from its mapping), cc_poll_reader_refit() gives the <url> of a read
 * under way the new $select and keeps everything else: the watermark,
 * the paging cookie, the versions handed out. A sweep reads the primary
 * key alone, which no mapping changes: its position stays as it is.
 */
#pragma once

#include "cc-dataverse-client.h"
#include "cc-run.h"
#include "cc-store.h"

G_BEGIN_DECLS

/* A sweep every this many poll intervals. */
#define CC_POLL_SWEEP_POLLS 10

/* --- positions ----------------------------------------------------------- */

typedef struct
{
  gboolean  first;      /* the first read of the table: every row is handed out */
  char     *watermark;  /* the newest modifiedon read, or NULL */
  char     *url;        /* the next page of the read under way, or NULL */
} CcPollPosition;

/* Reads @text into @position; FALSE (and @position empty) when @text is
 * NULL or not a read position. */
gboolean  cc_poll_position_parse     (const char           *text,
                                      CcPollPosition       *position);
char     *cc_poll_position_to_string (const CcPollPosition *position);
void      cc_poll_position_clear     (CcPollPosition       *position);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (CcPollPosition, cc_poll_position_clear)

/* --- the reader ---------------------------------------------------------- */

typedef struct
{
  const char           *workflow_id;
  const char           *table;            /* logical name, named to the user */
  const char           *entity_set;
  const char           *primary_key;
  const char * const   *columns;          /* $select: the primary key, modifiedon
                                           * and what the workflow needs */
  CcDataverseReadFlags  flags;            /* never CC_DATAVERSE_READ_TRACK_CHANGES */
  guint                 page_size;        /* 0: 5000 */
  guint                 poll_interval_s;
  const char           *cursor_name;      /* the read position */
  const char           *sweep_name;       /* the sweep position */
  const char           *version_space;    /* id → ETag of the version handed out */
  const char           *seen_space;       /* ids seen since the sweep under way began */
  const char           *known_space;      /* ids the workflow keeps something for:
                                           * what a sweep checks */
} CcPollSetup;

typedef struct _CcPollReader CcPollReader;

/* Copies @setup. */
CcPollReader *cc_poll_reader_new  (const CcPollSetup *setup);
void          cc_poll_reader_free (CcPollReader      *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CcPollReader, cc_poll_reader_free)

/* Starting, before a read: the read under way, if any, takes @self's
 * columns and keeps its place (see the top of this file), so that a
 * column gone from the table no longer fails every read. */
gboolean      cc_poll_reader_refit      (CcPollReader  *self,
                                         CcStore       *store,
                                         GError       **error);

/* Records in the workflow's history, and shows with the workflow while
 * @run lasts, that @self's table is polled, and that switching change
 * tracking on is faster. Once per run. */
void          cc_poll_reader_announce   (CcPollReader  *self,
                                         CcRun         *run,
                                         CcStore       *store);

/* What a page hands out: the rows not handed out before, in modifiedon
 * order. */
typedef struct
{
  GPtrArray *rows;      /* CcJsonRow* */
  gboolean   first;     /* part of the first read of the table */
  gint64     read_at;   /* when the request was sent (unix µs) */
} CcPollPage;

/* Makes queue items (CcQueueItem*, added to @items) of @page's rows, and
 * may add map changes to @maps: both are committed with the page. */
typedef gboolean (*CcPollMapFunc)  (const CcPollPage  *page,
                                    GPtrArray         *items,
                                    CcStoreBatch      *maps,
                                    gpointer           user_data,
                                    GError           **error);

/* Reads the page at the stored position, hands its new rows to @map and
 * commits what @map made with the new position. *@caught_up tells whether
 * this was the last page of the poll: there is nothing more to read until
 * the next one. */
gboolean      cc_poll_reader_read_page  (CcPollReader       *self,
                                         CcStore            *store,
                                         CcDataverseClient  *client,
                                         GCancellable       *cancellable,
                                         CcPollMapFunc       map,
                                         gpointer            user_data,
                                         gboolean           *caught_up,
                                         GError            **error);

/* Makes queue items and map changes of @ids (char*): ids of the known map
 * that the table no longer has. Committed with the sweep's end. */
typedef gboolean (*CcPollGoneFunc) (GPtrArray         *ids,
                                    GPtrArray         *items,
                                    CcStoreBatch      *maps,
                                    gpointer           user_data,
                                    GError           **error);

/* Reads one page of a sweep, when one is under way or due, and at its end
 * hands what has gone to @gone. Returns whether it read a page; FALSE with
 * @error set on failure. */
gboolean      cc_poll_reader_sweep_page (CcPollReader       *self,
                                         CcStore            *store,
                                         CcDataverseClient  *client,
                                         GCancellable       *cancellable,
                                         CcPollGoneFunc      gone,
                                         gpointer            user_data,
                                         GError            **error);

/* For any read of a whole table that finds what has gone (a sweep, a
 * resync with change tracking): marks the ids (@primary_key) of @rows in
 * @seen_space, in @maps, to be saved with the page. */
void          cc_poll_reader_mark_rows  (CcStoreBatch       *maps,
                                         const char         *seen_space,
                                         const char         *primary_key,
                                         GPtrArray          *rows);
/* The keys of @known_space that @seen_space does not hold (char*): after
 * every id of a table was marked in @seen_space, the ids a workflow keeps
 * something for that the table no longer has. */
GPtrArray    *cc_poll_reader_list_gone  (CcStore            *store,
                                         const char         *known_space,
                                         const char         *seen_space,
                                         GError            **error);

G_END_DECLS
