/* cc-mapper.h — one ingress table mapping applied to one Dynamics 365 row.
 *
 * Pure functions over a parsed CcTableMapping: no I/O and no shared state,
 * so reader threads may call them concurrently.
 */
#pragma once

#include <glib.h>
#include <json-glib/json-glib.h>

#include "cc-ingress-config.h"
#include "cc-json-row.h"

G_BEGIN_DECLS

typedef enum
{
  CC_MAP_UPSERT,
  CC_MAP_FILTERED_OUT,
} CcMapVerdict;

/* What a row is mapped to: the Campaign fields in the order they were
 * set, written out as JSON at once (no tree of it). A name set again
 * keeps its place and takes the new value, as a JsonObject does. Names
 * are not copied, and a value may be the row's own text: the names and
 * the row must outlive the record. */
typedef struct _CcMappedRecord CcMappedRecord;

void          cc_mapped_record_set_string (CcMappedRecord  *record,
                                           const char      *name,
                                           const char      *value);
/* The record as JSON text, as json_to_string () would write its object. */
char         *cc_mapped_record_to_json    (CcMappedRecord  *record);
void          cc_mapped_record_free       (CcMappedRecord  *record);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CcMappedRecord, cc_mapped_record_free)

/* @primary_key: the row's id, i.e. the value of the table's primary id
 * column (CcDataverseTable's primary_id_attribute, e.g. "contactid"),
 * which the caller has already read from @row.
 * @row: a Dataverse row as read (with the selected columns,
 * the primary key, and, when display values were asked for,
 * "<col>@OData.Community.Display.V1.FormattedValue" annotations).
 * Returns the verdict; on CC_MAP_UPSERT *out is a new record with the
 * Campaign fields (every mapped target + target_key = the row's id as a
 * string). Filter conditions are evaluated locally on the row (change
 * tracking forbids $filter). Order per field: source value (display label
 * if display_values and an annotation exists) → replacements (first
 * match) → transforms in order. Null stays null unless a default applies;
 * "default" also applies to "". Strings compare case-insensitively in
 * filters (as Dataverse does); numbers numerically; dates as ISO strings.
 *
 * A value that cannot be converted (e.g. date-format on a non-date) is
 * CC_ERROR_REJECTED naming the field (so is an empty @primary_key);
 * check @error first: the verdict is then CC_MAP_FILTERED_OUT and *out
 * is left NULL. */
CcMapVerdict  cc_mapper_apply         (const CcTableMapping  *mapping,
                                       const char            *primary_key,
                                       CcJsonRow             *row,
                                       CcMappedRecord       **out,
                                       GError               **error);

/* The subset of @record (a mapped record) to send on an update of a record
 * that already exists: fields whose apply_updates is TRUE (never the
 * target key, which Campaign refuses to change). New object. */
JsonObject   *cc_mapper_update_fields (const CcTableMapping  *mapping,
                                       JsonObject            *record);

/* Removes from @record (queued under an earlier mapping) the Campaign
 * fields @mapping no longer writes: a field taken out of the mapping,
 * because Campaign lost it, is not sent with the records queued before.
 * Keeps the target key, the parent link and the queue's own "@" members.
 * Returns whether it removed any. */
gboolean      cc_mapper_drop_unmapped (const CcTableMapping  *mapping,
                                       JsonObject            *record);

G_END_DECLS
