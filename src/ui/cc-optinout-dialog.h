/* cc-optinout-dialog.h — edits the Opt-in/Opt-out workflow: direction,
 * field pairs and how conflicts are settled. */
#pragma once

#include "cc-edit-dialog.h"

G_BEGIN_DECLS

#define CC_TYPE_OPTINOUT_DIALOG (cc_optinout_dialog_get_type ())
G_DECLARE_FINAL_TYPE (CcOptinoutDialog, cc_optinout_dialog, CC, OPTINOUT_DIALOG, CcEditDialog)

CcOptinoutDialog *cc_optinout_dialog_new (CcEngine   *engine,
                                          CcWorkflow *workflow);

G_END_DECLS
