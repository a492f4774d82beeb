/* cc-json-row.h — one object of a collection, read member by member.
 *
 * A page of Dynamics 365 holds up to 5000 rows of a dozen members each,
 * of which a workflow reads a few. json-glib would build a tree of the
 * whole page: an object, a hash table and a node for every member, and
 * its scanner's copy of every string. A row scanned from the page
 * (cc_json_scan_rows () in cc-json-scan.h) keeps where each member's
 * name and value lie in the page's text, and makes a JsonNode of a value
 * only when the value is asked for. A row can also stand for an object
 * of a tree, for text the scan left to the parser: the callers read both
 * the same way.
 */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

typedef struct _CcJsonRow CcJsonRow;

/* A row over @object (a new reference is taken). */
CcJsonRow  *cc_json_row_new_for_object (JsonObject  *object);
void        cc_json_row_free           (CcJsonRow   *row);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CcJsonRow, cc_json_row_free)

/* Member @name (the last one when the name repeats, as json-glib keeps),
 * or NULL when the row has none. Owned by @row. */
JsonNode   *cc_json_row_get_member     (CcJsonRow   *row,
                                        const char  *name);
gboolean    cc_json_row_has_member     (CcJsonRow   *row,
                                        const char  *name);
/* Member @name if it is a string, else NULL (as cc_json_read_string ()). */
const char *cc_json_row_get_string     (CcJsonRow   *row,
                                        const char  *name);
/* Member @name's JSON text, in a scanned row, when it is already what
 * json_to_string () writes of its value: a string without escapes or
 * DEL, a whole number but -0, true, false or null. FALSE otherwise (a
 * tree's row, no such member, any other value). */
gboolean    cc_json_row_get_raw        (CcJsonRow    *row,
                                        const char   *name,
                                        const char  **text,
                                        gsize        *len);
/* The row as a json-glib object, for a reader that wants the tree (built
 * on the first call for a scanned row). Owned by @row. */
JsonObject *cc_json_row_get_object     (CcJsonRow   *row);

G_END_DECLS
