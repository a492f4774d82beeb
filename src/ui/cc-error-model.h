/* cc-error-model.h — a workflow's error log as a GListModel that reads
 * the database a page at a time, so a log of a million entries costs only
 * what is on screen. */
#pragma once

#include <gio/gio.h>

#include "cc-workflow.h"

G_BEGIN_DECLS

#define CC_TYPE_ERROR_MODEL (cc_error_model_get_type ())
G_DECLARE_FINAL_TYPE (CcErrorModel, cc_error_model, CC, ERROR_MODEL, GObject)

/* Every entry of @workflow's error log. */
CcErrorModel *cc_error_model_new        (CcWorkflow          *workflow);
/* Only the entries @filter matches from now on (NULL: all). */
void          cc_error_model_set_filter (CcErrorModel        *self,
                                         const CcErrorFilter *filter);
/* Counts again and forgets what was read (the log changed). */
void          cc_error_model_refresh    (CcErrorModel        *self);

G_END_DECLS
