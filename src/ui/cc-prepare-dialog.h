/* cc-prepare-dialog.h — "Prepare Dynamics 365" in the window: the plan
 * for the customization prefix the admin chooses, applied only when the
 * admin presses Prepare. */
#pragma once

#include <adwaita.h>

#include "cc-engine.h"

G_BEGIN_DECLS

#define CC_TYPE_PREPARE_DIALOG (cc_prepare_dialog_get_type ())
G_DECLARE_FINAL_TYPE (CcPrepareDialog, cc_prepare_dialog, CC, PREPARE_DIALOG, AdwWindow)

/* Shows the plan for the prefix "new" at once. */
CcPrepareDialog *cc_prepare_dialog_new      (CcEngine        *engine);
/* The plan shown (applied or not), or NULL while busy or after a failure. */
CcPreparePlan   *cc_prepare_dialog_get_plan (CcPrepareDialog *self);
/* Whether the plan shown has been applied. */
gboolean         cc_prepare_dialog_is_applied (CcPrepareDialog *self);

G_END_DECLS
