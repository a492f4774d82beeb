/* cc-egress-dialog.h — edits the "Campaign to Microsoft Dynamics 365"
 * workflow: which email events go to which tables, and how. */
#pragma once

#include "cc-edit-dialog.h"

G_BEGIN_DECLS

#define CC_TYPE_EGRESS_DIALOG (cc_egress_dialog_get_type ())
G_DECLARE_FINAL_TYPE (CcEgressDialog, cc_egress_dialog, CC, EGRESS_DIALOG, CcEditDialog)

CcEgressDialog *cc_egress_dialog_new (CcEngine   *engine,
                                      CcWorkflow *workflow);

G_END_DECLS
