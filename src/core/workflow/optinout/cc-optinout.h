/* cc-optinout.h — “Opt-in/Opt-out”: block-list state one way or both ways.
 *
 * The engine knows a workflow only by its kind; everything else about
 * it stays inside this folder.
 */
#pragma once

#include "cc-workflow-kind.h"

G_BEGIN_DECLS

extern const CcWorkflowKind cc_optinout_kind;

G_END_DECLS
