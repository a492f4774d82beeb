/* cc-check-dialog.h — the setup check in the window: every prerequisite
 * of the workflows (or of one), what is missing and what to do. */
#pragma once

#include <adwaita.h>

#include "cc-engine.h"

G_BEGIN_DECLS

#define CC_TYPE_CHECK_DIALOG (cc_check_dialog_get_type ())
G_DECLARE_FINAL_TYPE (CcCheckDialog, cc_check_dialog, CC, CHECK_DIALOG, AdwWindow)

/* @workflow_id: the workflow to check, or NULL for all of them. The check
 * starts when the dialog is shown. */
CcCheckDialog *cc_check_dialog_new        (CcEngine      *engine,
                                           const char    *workflow_id);
/* Runs the check again. */
void           cc_check_dialog_run        (CcCheckDialog *self);
/* The report shown, or NULL while checking or after a failure. */
CcCheckReport *cc_check_dialog_get_report (CcCheckDialog *self);

G_END_DECLS
