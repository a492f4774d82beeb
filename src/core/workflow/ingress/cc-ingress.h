/* cc-ingress.h — “Microsoft Dynamics 365 to Campaign”: contacts and custom tables into Campaign.
 *
 * The engine knows a workflow only by its kind; everything else about
 * it stays inside this folder.
 */
#pragma once

#include "cc-workflow-kind.h"

G_BEGIN_DECLS

extern const CcWorkflowKind cc_ingress_kind;

G_END_DECLS
