/* cc-ingress-private.h — what the ingress reader and writers share. */
#pragma once

#include "cc-campaign-client.h"
#include "cc-check.h"
#include "cc-dataverse-client.h"
#include "cc-ingress-config.h"
#include "cc-poll-reader.h"
#include "cc-run.h"
#include "cc-schema-guard.h"

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
  char                 *backfill_name;    /* "backfill/<id>": a backfill of newly mapped
                                           * fields (cc-ingress-schema.c) */
  char                 *fields_name;      /* "fields/<id>": the fields it wrote last start */
  GStrv                 backfill_fields;  /* what an update of a CC_QUEUE_FLAG_BACKFILL
                                           * record writes besides; NULL: none */
  char                 *identity_space;   /* Dynamics id → Campaign PKey */
  char                 *seen_space;       /* ids seen during a full resync or a sweep */
  CcPollReader         *poll;             /* the table has no change tracking; else NULL */
} CcIngressPlan;

typedef struct
{
  CcRun           *run;
  CcIngressConfig *config;
  GPtrArray       *plans;                 /* CcIngressPlan* */
  CcSchemaGuard   *guard;                 /* the writers': a field gone from Campaign */
} CcIngress;

const CcIngressPlan *cc_ingress_find_plan (CcIngress  *self,
                                           const char *mapping_id);
/* Where a field of @plan is named, in the words of the schema guard's
 * messages (cc-schema-guard.h): the mapping. */
char                *cc_ingress_plan_where (const CcIngressPlan *plan);

/* The setup check of a configuration (cc-ingress-check.c). */
void     cc_ingress_check      (gconstpointer  config,
                                CcCheck       *check);

/* What a changed mapping does to what is stored, while Starting
 * (cc-ingress-schema.c): the read positions take @self's columns, and the
 * fields a mapping writes for the first time get a backfill. Sets each
 * plan's backfill_fields. */
gboolean cc_ingress_refit      (CcIngress  *self,
                                CcStore    *store,
                                GError    **error);

/* Where a backfill stands (its position, "backfill/<id>"). */
typedef struct
{
  GStrv     fields;    /* the Campaign fields it fills in */
  char     *url;       /* the next page to read; NULL: the first */
  gboolean  read;      /* read to the end: its records wait in the queue */
} CcIngressBackfill;

gboolean cc_ingress_backfill_parse     (const char              *text,
                                        CcIngressBackfill       *backfill);
char    *cc_ingress_backfill_to_string (const CcIngressBackfill *backfill);
void     cc_ingress_backfill_clear     (CcIngressBackfill       *backfill);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (CcIngressBackfill, cc_ingress_backfill_clear)

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
