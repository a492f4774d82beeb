/* cc-error-log.h — a workflow's error log as an admin works through
 * thousands of entries: grouped by reason with counts, searched,
 * narrowed to a reason or a record, exported as CSV and retried a group
 * at a time. The details window's Error Log page. */
#pragma once

#include <adwaita.h>

#include "cc-workflow.h"

G_BEGIN_DECLS

#define CC_TYPE_ERROR_LOG (cc_error_log_get_type ())
G_DECLARE_FINAL_TYPE (CcErrorLog, cc_error_log, CC, ERROR_LOG, AdwBin)

void        cc_error_log_set_workflow (CcErrorLog *self,
                                       CcWorkflow *workflow);
/* Reads the log again (it changes by itself as it is followed). */
void        cc_error_log_refresh      (CcErrorLog *self);

/* What a user chooses, also as calls: "groups" (one row per reason) or
 * "records" (every entry that matches). */
void        cc_error_log_show_view    (CcErrorLog *self,
                                       const char *view);
const char *cc_error_log_get_view     (CcErrorLog *self);
/* Only the entries of @reason, or of the record @key (NULL: any); both
 * show the records. */
void        cc_error_log_show_reason  (CcErrorLog *self,
                                       const char *reason);
void        cc_error_log_show_record  (CcErrorLog *self,
                                       const char *key);
/* Writes the entries that match as CSV to @file (what Export… does once
 * a file is chosen); says in a toast how many, or why not. */
void        cc_error_log_export_to    (CcErrorLog *self,
                                       GFile      *file);

/* The entries that match (CcErrorItem), as the records view shows them. */
GListModel *cc_error_log_get_entries  (CcErrorLog *self);
/* How many reasons the groups view shows. */
guint       cc_error_log_get_n_groups (CcErrorLog *self);
/* Whether an export is under way. */
gboolean    cc_error_log_is_exporting (CcErrorLog *self);

G_END_DECLS
