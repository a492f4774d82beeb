/* cc-egress.h — “Campaign to Microsoft Dynamics 365”: email events onto the contact’s timeline.
 *
 * The engine knows a workflow only by its kind; everything else about
 * it stays inside this folder.
 */
#pragma once

#include "cc-workflow-kind.h"

G_BEGIN_DECLS

extern const CcWorkflowKind cc_egress_kind;

G_END_DECLS
