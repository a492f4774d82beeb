/* cc-error-csv.h — error-log entries as CSV (RFC 4180), for a
 * spreadsheet or a script: one header line, then one line per entry. */
#pragma once

#include "cc-store.h"

G_BEGIN_DECLS

/* id,failed_at,mapping,record,operation,http_status,reason,payload */
void cc_error_csv_append_header (GString            *csv);
/* @entry as one line: its failure time in UTC (ISO 8601), its text
 * quoted where it must be. */
void cc_error_csv_append_entry  (GString            *csv,
                                 const CcErrorEntry *entry);

G_END_DECLS
