/* cc-ingress-private.h — what the ingress reader and writers share. */
#pragma once

#include "cc-campaign-client.h"
#include "cc-check.h"
#include "cc-dataverse-client.h"
#include "cc-ingress-config.h"
#include "cc-poll-reader.h"
#include "cc-run.h"

G_BEGIN_DECLS

/* One table mapping, resolved against the live schemas while Starting. */
typedef struct
{
  const CcTableMapping *mapping;
  char                 *entity_set;       /* Dataverse entity set name */
  char                 *primary_key;      /* Dataverse primary id column */
  GStrv                 columns;          /* $select: mapped columns + primary key */
  char                 *cursor_name;      /* "read/<id>": where the reader is */
  char                 *replay_name;      /* "replay/<id>": a pending replay */
  char                 *identity_space;   /* Dynamics id → Campaign PKey */
  char                 *seen_space;       /* ids seen during a full resync or a sweep */
  CcPollReader         *poll;             /* the table has no change tracking; else NULL */
} CcIngressPlan;

typedef struct
{
  CcRun           *run;
  CcIngressConfig *config;
  GPtrArray       *plans;                 /* CcIngressPlan* */
} CcIngress;

const CcIngressPlan *cc_ingress_find_plan (CcIngress  *self,
                                           const char *mapping_id);

/* The setup check of a configuration (cc-ingress-check.c). */
void     cc_ingress_check      (gconstpointer  config,
                                CcCheck       *check);

/* The reader thread's loop (cc-ingress-reader.c). */
gboolean cc_ingress_read_loop  (CcIngress  *self,
                                GError    **error);
/* A writer thread's loop (cc-ingress-writer.c), with @in_flight writes
 * at once. */
gboolean cc_ingress_write_loop (CcIngress  *self,
                                guint       in_flight,
                                GError    **error);

/* The member of a queued payload that carries the parent's Dynamics id
 * (linked custom resources); never sent to Campaign. */
#define CC_INGRESS_PARENT_MEMBER "@parent"
/* The member of a queued payload that says why its row could not be
 * mapped; such a record goes to the error log with that reason. */
#define CC_INGRESS_ERROR_MEMBER "@error"

G_END_DECLS
