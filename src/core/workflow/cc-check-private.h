/* cc-check-private.h — what cc-check.c (signing in, Dynamics 365) and
 * cc-check-campaign.c share. */
#pragma once

#include "cc-check.h"

G_BEGIN_DECLS

struct _CcCheck
{
  CcDataverseClient *dataverse;
  CcCampaignClient  *campaign;
  CcCheckReport     *report;
  GCancellable      *cancellable;

  gboolean           signed_in;          /* cc_check_sign_in() ran */
  gboolean           dynamics_ready;     /* signed in to Dynamics 365 */
  gboolean           campaign_ready;     /* signed in to Campaign */

  GHashTable        *tables;             /* logical name → CcDataverseTable* (NULL: none) */
  GHashTable        *resources;          /* resource → CcCampaignResourceType* (NULL: none) */
  GHashTable        *filters;            /* resource → GPtrArray of CcCampaignFilter* */
  gboolean           privileges_read;    /* the application user's privileges were asked */
  GHashTable        *privileges;         /* name → depth; NULL when they cannot be told */
  char              *privileges_error;   /* why not, then */
};

/* "system.kind.object[.member]" */
char *cc_check_id (const char *system,
                   const char *kind,
                   const char *object,
                   const char *member);

G_END_DECLS
