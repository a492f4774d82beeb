/* cc-optinout-config.h — the opt-in/opt-out workflow's configuration.
 *
 * Opt-in/opt-out keeps yes/no consent flags equal on both sides: pairs of
 * a Dynamics 365 Boolean column and one of Campaign's built-in deny-list
 * flags, copied one way, both ways, or not at all.
 */
#pragma once

#include <json-glib/json-glib.h>

#include "cc-campaign-client.h"
#include "cc-check-report.h"
#include "cc-dataverse-client.h"

G_BEGIN_DECLS

typedef enum
{
  CC_OPTINOUT_DYNAMICS_TO_CAMPAIGN,
  CC_OPTINOUT_CAMPAIGN_TO_DYNAMICS,
  CC_OPTINOUT_BIDIRECTIONAL,
  CC_OPTINOUT_OFF,
} CcOptinoutDirection;

typedef enum
{
  CC_OPTINOUT_LATEST,     /* the side modified last wins */
  CC_OPTINOUT_DYNAMICS,   /* Dynamics 365 wins */
  CC_OPTINOUT_CAMPAIGN,   /* Campaign wins */
} CcOptinoutPolicy;

typedef struct
{
  char *dynamics;   /* Boolean column of contact, e.g. "donotbulkemail" */
  char *campaign;   /* built-in flag, e.g. "denyListEmail" (blackList* is
                     * read as its denyList* name) */
  char *legacy;     /* the flag's old blackList* name, for reading */
} CcOptinoutPair;

#define CC_OPTINOUT_DEFAULT_POLL_INTERVAL 10
/* Four writers was the fixed count before the setting existed: configs
 * written then keep their behaviour. */
#define CC_OPTINOUT_DEFAULT_WRITE_CONCURRENCY 4

typedef struct
{
  CcOptinoutDirection  direction;
  GPtrArray           *pairs;             /* CcOptinoutPair* */
  CcOptinoutPolicy     policy;
  char                *campaign_resource; /* "profileAndServicesExt/profile" */
  char                *campaign_key;      /* the profile field holding the contactid */
  char                *key_filter;        /* "" = address profiles by the custom key */
  char                *modified_filter;   /* "" = full scans of the profiles */
  guint                poll_interval_s;   /* 1..3600 */
  guint                write_concurrency; /* contacts in flight, 1..256 */
} CcOptinoutConfig;

CcOptinoutConfig *cc_optinout_config_parse    (JsonNode                *node,
                                               GError                 **error);
JsonNode         *cc_optinout_config_to_json  (const CcOptinoutConfig  *config);
void              cc_optinout_config_free     (CcOptinoutConfig        *config);
/* Dynamics 365 → Campaign, donotbulkemail → denyListEmail and
 * donotemail → denyList. */
JsonNode         *cc_optinout_config_default  (void);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CcOptinoutConfig, cc_optinout_config_free)

const char       *cc_optinout_direction_to_string (CcOptinoutDirection direction);
const char       *cc_optinout_policy_to_string    (CcOptinoutPolicy    policy);

/* Checks the configuration against the live schemas (the setup check,
 * and Starting): an item in @report for each Dynamics 365 column (there,
 * Yes/No, writable where written; modifiedon) and each Campaign field
 * (there, a yes/no flag, writable where written; the key field,
 * lastModified). */
void              cc_optinout_config_check_columns (const CcOptinoutConfig       *config,
                                                    const CcDataverseTable       *contact,
                                                    CcCheckReport                *report);
void              cc_optinout_config_check_fields  (const CcOptinoutConfig       *config,
                                                    const CcCampaignResourceType *profile,
                                                    CcCheckReport                *report);

G_END_DECLS
