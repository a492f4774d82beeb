/* cc-setup-prepare.h — "Prepare Dynamics 365": what the workflows need of
 * Dynamics 365 that the app can create itself, through the Web API's
 * metadata operations.
 *
 * A plan is read from the live environment and the workflows'
 * configurations: the email-event activity tables egress writes, with
 * their columns and the alternate key on the event id, inside a solution
 * of a publisher with the customization prefix the admin chose; change
 * tracking on every table ingress and opt-in/opt-out read. What is there
 * already is not in the plan, so a second run has nothing to do. Nothing
 * is ever deleted. The admin sees the plan before it is applied.
 */
#pragma once

#include <json-glib/json-glib.h>

#include "cc-dataverse-client.h"

G_BEGIN_DECLS

/* The solution the app creates its components in. */
#define CC_PREPARE_SOLUTION "CampaignConnector"
#define CC_PREPARE_DEFAULT_PREFIX "new"

typedef enum
{
  CC_PREPARE_CREATE_PUBLISHER,
  CC_PREPARE_CREATE_SOLUTION,
  CC_PREPARE_CREATE_TABLE,
  CC_PREPARE_CREATE_COLUMN,
  CC_PREPARE_CREATE_KEY,
  CC_PREPARE_TRACK_CHANGES,
  CC_PREPARE_RENAME,            /* the egress configuration names the new tables */
} CcPrepareAction;

typedef enum
{
  CC_PREPARE_PLANNED,
  CC_PREPARE_DONE,
  CC_PREPARE_FAILED,
} CcPrepareState;

typedef struct _CcPrepareStep CcPrepareStep;

typedef struct
{
  char       *prefix;
  char       *solution;        /* its unique name */
  GPtrArray  *steps;           /* CcPrepareStep*, in the order they are applied;
                                * empty: Dynamics 365 is prepared */
  JsonNode   *egress_config;   /* CC_PREPARE_RENAME: the egress configuration
                                * naming the tables and columns with @prefix */
  char       *publisher_id;    /* known once the publisher is found or created */
} CcPreparePlan;

void            cc_prepare_plan_free        (CcPreparePlan *plan);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CcPreparePlan, cc_prepare_plan_free)

CcPrepareAction cc_prepare_step_get_action      (const CcPrepareStep *step);
/* Translated: "Create the activity table “new_emailsend” (…)". */
const char     *cc_prepare_step_get_description (const CcPrepareStep *step);
CcPrepareState  cc_prepare_step_get_state       (const CcPrepareStep *step);
/* Why a failed step failed; NULL otherwise. */
const char     *cc_prepare_step_get_error       (const CcPrepareStep *step);
void            cc_prepare_step_set_state       (CcPrepareStep       *step,
                                                 CcPrepareState       state,
                                                 const char          *error);

/* Reads the environment and plans (in the calling thread: it blocks).
 * @prefix: 2 to 8 letters or digits starting with a letter (NULL =
 * "new"); the configurations are JSON (NULL: the workflow is left out).
 * CC_ERROR_INVALID_CONFIG for a bad prefix. */
CcPreparePlan  *cc_prepare_plan_new         (CcDataverseClient  *client,
                                             const char         *prefix,
                                             JsonNode           *ingress,
                                             JsonNode           *egress,
                                             JsonNode           *optinout,
                                             GCancellable       *cancellable,
                                             GError            **error);
/* Applies the Dynamics 365 steps in order, each marked done; at the
 * first that fails, FALSE with its error (the step is marked failed, the
 * rest stay planned: a later run takes up from there). A key is waited
 * for until its index is active. CC_PREPARE_RENAME is left to the caller,
 * who owns the configuration. */
gboolean        cc_prepare_plan_apply       (CcDataverseClient  *client,
                                             CcPreparePlan      *plan,
                                             GCancellable       *cancellable,
                                             GError            **error);

G_END_DECLS
