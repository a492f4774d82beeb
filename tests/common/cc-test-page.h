/* cc-test-page.h — a page of Dynamics 365 read both ways.
 *
 * The client reads a page with one pass over its text
 * (cc_json_scan_rows ()) and leaves to json-glib's parser only what the
 * scan cannot be sure of. These read the same text once that way and
 * once through the parser alone, and abort unless the two agree in
 * everything a caller sees: the error, or every row's every member, the
 * deleted ids and the links.
 */
#pragma once

#include "cc-dataverse-client.h"

G_BEGIN_DECLS

/* Whether the scan read @body itself (FALSE: it left it to the parser). */
gboolean  cc_test_page_compare (GBytes                *body,
                                CcDataverseReadFlags   flags);

/* Whether @a and @b are the same value of the same type (a whole number
 * is not its double); structures compare by their text. */
gboolean  cc_test_node_same    (JsonNode              *a,
                                JsonNode              *b);

G_END_DECLS
