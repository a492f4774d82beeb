/* PLACEHOLDER — replaced by cc-egress.c and cc-optinout.c. */
#include "config.h"

#include "cc-error.h"
#include "cc-workflow-kind.h"

static JsonNode *
empty_config (void)
{
  return json_from_string ("{}", NULL);
}

static gboolean
accept (JsonNode *config, GError **error)
{
  return TRUE;
}

static gboolean
no_replay (JsonNode *config, CcStore *store, const char *since, GError **error)
{
  return TRUE;
}

static gboolean
not_yet (CcRunner *runner, GError **error)
{
  g_set_error_literal (error, CC_ERROR, CC_ERROR_FAILED, "This workflow is not available yet.");
  return FALSE;
}

const CcWorkflowKind cc_egress_kind = {
  "egress", "Campaign to Microsoft Dynamics 365", "Email marketing events",
  empty_config, accept, no_replay, not_yet,
};

const CcWorkflowKind cc_optinout_kind = {
  "optinout", "Opt-in/Opt-out", "Block list",
  empty_config, accept, no_replay, not_yet,
};
