/* cc-egress-config.h — the egress workflow's configuration.
 *
 * Egress copies Campaign's email events (send, open, click, bounce) into
 * Dynamics 365 as activities on the contact's timeline. The configuration
 * says which event types flow and into which tables, where the events
 * are read from, how they are batched, and the names of the payload
 * fields and target columns (both vary between installations).
 */
#pragma once

#include <json-glib/json-glib.h>

#include "cc-check-report.h"
#include "cc-dataverse-client.h"

G_BEGIN_DECLS

typedef enum
{
  CC_EGRESS_EVENT_SEND,
  CC_EGRESS_EVENT_OPEN,
  CC_EGRESS_EVENT_CLICK,
  CC_EGRESS_EVENT_BOUNCE,
  CC_EGRESS_N_EVENTS
} CcEgressEventType;

typedef enum
{
  CC_EGRESS_SOURCE_JOURNAL,   /* the I/O Events journal, incremental */
  CC_EGRESS_SOURCE_HISTORY,   /* each profile's marketing history: slow */
} CcEgressSource;

typedef enum
{
  CC_EGRESS_MISSING_ERROR_LOG,  /* to the error log, retryable */
  CC_EGRESS_MISSING_SKIP,       /* counted and recorded in the history */
} CcEgressMissingContact;

/* The members of an event payload ("event-fields"). */
typedef enum
{
  CC_EGRESS_FIELD_ID,
  CC_EGRESS_FIELD_TYPE,
  CC_EGRESS_FIELD_CONTACT,
  CC_EGRESS_FIELD_CAMPAIGN_ID,
  CC_EGRESS_FIELD_CAMPAIGN_NAME,
  CC_EGRESS_FIELD_DELIVERY_ID,
  CC_EGRESS_FIELD_DELIVERY_NAME,
  CC_EGRESS_FIELD_TIME,
  CC_EGRESS_FIELD_MIRROR_PAGE,
  CC_EGRESS_FIELD_TRACKING_URL,
  CC_EGRESS_N_FIELDS
} CcEgressField;

/* The columns of a target table ("target-columns"). */
typedef enum
{
  CC_EGRESS_COLUMN_EVENT_ID,
  CC_EGRESS_COLUMN_SUBJECT,
  CC_EGRESS_COLUMN_CAMPAIGN_NAME,
  CC_EGRESS_COLUMN_DELIVERY_NAME,
  CC_EGRESS_COLUMN_TIME,
  CC_EGRESS_COLUMN_MIRROR_PAGE,
  CC_EGRESS_COLUMN_TRACKING_URL,
  CC_EGRESS_N_COLUMNS
} CcEgressColumn;

/* Measured with bench/egress (see bench/README.md). */
#define CC_EGRESS_DEFAULT_BATCH_SIZE        100
#define CC_EGRESS_DEFAULT_WRITE_CONCURRENCY 2
#define CC_EGRESS_DEFAULT_JOURNAL_LIMIT     500
#define CC_EGRESS_DEFAULT_POLL_INTERVAL     5

typedef struct
{
  gboolean enabled;
  char    *table;     /* logical name of the activity table */
} CcEgressTarget;

typedef struct
{
  CcEgressTarget          targets[CC_EGRESS_N_EVENTS];
  CcEgressSource          source;
  guint                   batch_size;        /* 1..1000 */
  guint                   write_concurrency; /* 1..16 */
  CcEgressMissingContact  missing_contact;
  guint                   journal_limit;     /* 1..1000 events per journal read */
  guint                   poll_interval_s;   /* 1..3600 */
  char                   *fields[CC_EGRESS_N_FIELDS];   /* payload member names; a
                                                         * "." descends into objects */
  char                   *columns[CC_EGRESS_N_COLUMNS]; /* "" = not written (optional
                                                         * columns only) */
} CcEgressConfig;

/* Parses and validates; CC_ERROR_INVALID_CONFIG whose message starts with
 * the member's path. Unknown members are refused. */
CcEgressConfig *cc_egress_config_parse       (JsonNode              *node,
                                              GError               **error);
JsonNode       *cc_egress_config_to_json     (const CcEgressConfig  *config);
void            cc_egress_config_free        (CcEgressConfig        *config);
/* Every event type on, the tables of Adobe's solution as the sandbox
 * names them, events from the journal. */
JsonNode       *cc_egress_config_default     (void);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CcEgressConfig, cc_egress_config_free)

/* "send", "open", "click", "bounce". */
const char     *cc_egress_event_type_to_string (CcEgressEventType  type);
gboolean        cc_egress_event_type_parse     (const char        *word,
                                                CcEgressEventType *type);
/* The member names of "event-fields" ("campaign-id"); queued events use
 * them too, whatever the payload calls the fields. */
const char     *cc_egress_field_to_string      (CcEgressField      field);

/* Checks one enabled target table against the live schema (the setup
 * check, and Starting): an item in @report for every configured column
 * (there, writable, the event id a text column: the alternate key of the
 * upsert) and for the regarding lookup to contact. */
void            cc_egress_config_check_table   (const CcEgressConfig   *config,
                                                CcEgressEventType       type,
                                                const CcDataverseTable *table,
                                                CcCheckReport          *report);

G_END_DECLS
