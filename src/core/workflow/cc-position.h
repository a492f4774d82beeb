/* cc-position.h — the stored read positions of Dynamics 365 tables when
 * the columns a workflow reads change.
 *
 * A workflow stores where it reads a Dynamics 365 table as a cursor of
 * words separated by one space, one of which is the URL of the next
 * request: "delta <deltaLink>", "initial <nextLink>", "page <since>
 * <nextLink>" and so on (a URL holds no space: it is percent-encoded).
 * That URL's $select names the columns the workflow read when it was
 * made. When it reads other columns now (a field removed from a mapping,
 * one added, a filter on another column), the position keeps its place:
 * its URL takes the new $select and keeps its delta token, paging cookie
 * and filter, so that reading on from there nothing is read twice and
 * nothing is missed, and a column the table has lost no longer fails
 * every read. (The positions of a table without change tracking are the
 * polling reader's: cc_poll_reader_refit().)
 */
#pragma once

#include "cc-store.h"

G_BEGIN_DECLS

/* Sets the $select of the URL in @workflow's position @cursor_name to
 * @columns. No position, or one without a URL, is left alone. */
gboolean cc_position_refit_select (CcStore             *store,
                                   const char          *workflow,
                                   const char          *cursor_name,
                                   const char * const  *columns,
                                   GError             **error);
/* The columns the URL of that position selects; NULL when there is no
 * position, no URL in it or no $select in the URL. */
GStrv    cc_position_dup_select   (CcStore             *store,
                                   const char          *workflow,
                                   const char          *cursor_name,
                                   GError             **error);

G_END_DECLS
