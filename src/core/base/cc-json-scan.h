/* cc-json-scan.h — what the engine reads of an answer, without parsing
 * it: one member, or the rows of a collection.
 *
 * json-glib builds a tree of objects for every text it reads, and sets up
 * a scanner of its own for each: for the few hundred bytes of a Campaign
 * record that a write answers with, where the engine wants only the
 * record's PKey, that costs more than sending the request; for a page of
 * Dynamics 365 rows, of which a workflow reads a few members, it was the
 * reader's largest cost. These read in one pass over the bytes, and say
 * when they cannot be sure, so that the caller parses the text in full
 * then and meets whatever error the text holds the usual way.
 */
#pragma once

#include <glib.h>

#include "cc-json-row.h"

G_BEGIN_DECLS

typedef enum
{
  CC_JSON_SCAN_FOUND,    /* the member is a string: its value is returned */
  CC_JSON_SCAN_ABSENT,   /* a well-formed object without it (or it is no string) */
  CC_JSON_SCAN_UNSURE,   /* not an object as expected, or an escaped value: parse it */
} CcJsonScan;

/* Looks for member @name at the top level of the JSON object @data
 * (@length bytes). On
 * CC_JSON_SCAN_FOUND, @value holds a copy of the member's string (the
 * last one when the member repeats, as json-glib keeps). Never reads
 * past @length, and gives up on nesting deeper than CC_JSON_MAX_DEPTH,
 * so that @data need not have passed cc_json_check_bounds() first (its
 * size is the caller's to check). */
CcJsonScan cc_json_scan_string_member (const char  *data,
                                       gsize        length,
                                       const char  *name,
                                       char       **value);

/* The longest number cc_json_scan_rows () reads itself, in bytes. */
#define CC_JSON_SCAN_MAX_NUMBER 64

typedef struct
{
  GPtrArray  *rows;      /* CcJsonRow*: the objects of the array, in order */
  char      **strings;   /* the string members asked for, in the order asked;
                          * NULL where absent or no string */
  guint       n_strings;
} CcJsonRows;

/* Reads a collection: the top-level JSON object @text, the elements of
 * its array member @array that are objects, each as a row (elements of
 * another kind are left out, and so is an @array that is no array), and
 * its string members @names (NULL-terminated). A name that repeats
 * counts by its last member, as json-glib keeps.
 *
 * NULL when the scan cannot be sure that json-glib 1.6 reads @text, and
 * reads it the same way: anything but strict JSON; a member name with an
 * escape; a string with \u0000, a lone surrogate, a control character
 * or bytes that are no UTF-8; a whole number of more than 18 digits or a
 * number longer than CC_JSON_SCAN_MAX_NUMBER; a text longer than
 * CC_JSON_MAX_ANSWER or nested deeper than CC_JSON_MAX_DEPTH; a
 * byte-order mark. The caller parses such a text in full, and meets its
 * error, if any, the usual way. Never reads outside @text. */
CcJsonRows *cc_json_scan_rows (GBytes              *text,
                               const char          *array,
                               const char * const  *names);
void        cc_json_rows_free (CcJsonRows          *rows);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CcJsonRows, cc_json_rows_free)

G_END_DECLS
