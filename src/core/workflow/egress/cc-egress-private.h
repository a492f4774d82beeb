/* cc-egress-private.h — what the egress reader and writers share. */
#pragma once

#include "cc-egress-config.h"
#include "cc-run.h"
#include "cc-schema-guard.h"

G_BEGIN_DECLS

/* One enabled event type, resolved against the live schema while
 * Starting. */
typedef struct
{
  CcEgressEventType  type;
  char              *entity_set;   /* from the table's metadata */
  char              *regarding;    /* "regardingobjectid_contact_<table>" */
} CcEgressPlan;

typedef struct
{
  CcRun           *run;
  CcEgressConfig  *config;
  CcEgressPlan    *plans[CC_EGRESS_N_EVENTS];   /* NULL: type switched off */
  CcSchemaGuard   *guard;                       /* a target column gone while running */
} CcEgress;

/* Cursors (all under the workflow id "egress"). */
#define CC_EGRESS_CURSOR_JOURNAL     "journal"       /* next journal URL */
#define CC_EGRESS_CURSOR_REPLAY      "replay"        /* a pending replay: "all" or a time */
#define CC_EGRESS_CURSOR_SKIP_BEFORE "skip-before"   /* replay since a time: older events
                                                      * are passed over until caught up */
#define CC_EGRESS_CURSOR_WALK        "history-walk"  /* next page of profiles (history) */
#define CC_EGRESS_CURSOR_HISTORY     "history/"      /* + externalId: newest event queued */

/* The members of a queued event (canonical names, whatever the payload
 * calls them). The event id is the queue key, the type its mapping. */
#define CC_EGRESS_ITEM_CONTACT "contact"

/* The reader thread (cc-egress-reader.c). */
gboolean cc_egress_read_loop  (CcEgress   *self,
                               GError    **error);
/* Writer thread @index of write-concurrency (cc-egress-writer.c). */
gboolean cc_egress_write_loop (CcEgress   *self,
                               guint       index,
                               GError    **error);

G_END_DECLS
