/* PLACEHOLDER — the ingress workflow lands next. */
#include "config.h"
#include "cc-error.h"
#include "cc-workflow-kind.h"
static JsonNode *empty_config (void) { return json_from_string ("{}", NULL); }
static gboolean accept (JsonNode *config, GError **error) { return TRUE; }
static gboolean no_replay (JsonNode *config, CcStore *store, const char *since, GError **error) { return TRUE; }
static gboolean not_yet (CcRunner *runner, GError **error) { g_set_error_literal (error, CC_ERROR, CC_ERROR_FAILED, "not yet"); return FALSE; }
const CcWorkflowKind cc_ingress_kind = { "ingress", "Microsoft Dynamics 365 to Campaign", "Contacts and custom entities", empty_config, accept, no_replay, not_yet };
