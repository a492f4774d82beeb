/* cc-json-row-private.h — what the scan of a collection (cc-json-scan.c)
 * makes a row of. */
#pragma once

#include "cc-json-row.h"

G_BEGIN_DECLS

/* Where one member of a scanned object lies in the text: its name, which
 * holds no escape (the scan leaves such a text to the parser), and its
 * value's JSON text, checked as json-glib would accept it. */
typedef struct
{
  const char *name;
  gsize       name_len;
  const char *value;
  gsize       value_len;
} CcJsonMemberSpan;

/* A row of the @n members @spans of the object whose text is [@start,
 * @start + @length) in @text (a reference is taken: the spans point into
 * it). */
CcJsonRow  *cc_json_row_new_scanned (GBytes                 *text,
                                     const char             *start,
                                     gsize                   length,
                                     const CcJsonMemberSpan *spans,
                                     guint                   n);

/* The string whose JSON text (@len bytes, quotes included) the scan
 * has checked. */
char       *cc_json_row_decode_string (const char  *text,
                                       gsize        len);

G_END_DECLS
