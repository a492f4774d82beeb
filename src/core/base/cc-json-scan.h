/* cc-json-scan.h — one member of an answer, read without parsing it.
 *
 * json-glib builds a tree of objects for every text it reads, and sets up
 * a scanner of its own for each: for the few hundred bytes of a Campaign
 * record that a write answers with, where the engine wants only the
 * record's PKey, that costs more than sending the request. This reads
 * one string member of the top-level object in one pass over the bytes,
 * and says when it cannot be sure, so that the caller parses the text
 * in full then and meets whatever error the text holds the usual way.
 */
#pragma once

#include <glib.h>

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

G_END_DECLS
