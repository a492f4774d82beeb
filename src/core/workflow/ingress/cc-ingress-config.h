/* cc-ingress-config.h — the ingress workflow's configuration.
 *
 * The ingress workflow copies Dynamics 365 tables into Campaign resources.
 * Its configuration is JSON (what users edit, and what the D-Bus
 * GetConfig/SetConfig methods carry); this file validates that JSON into a
 * parsed, immutable form the engine runs with, writes it back, and checks
 * one table mapping against the live schemas of both systems.
 */
#pragma once

#include <glib.h>
#include <json-glib/json-glib.h>

#include "cc-campaign-client.h"
#include "cc-check-report.h"
#include "cc-dataverse-client.h"

G_BEGIN_DECLS

typedef enum
{
  CC_TRANSFORM_TRIM,
  CC_TRANSFORM_LOWER,
  CC_TRANSFORM_UPPER,
  CC_TRANSFORM_DEFAULT,
  CC_TRANSFORM_CONCAT,
  CC_TRANSFORM_DATE_FORMAT,
} CcTransformKind;

typedef struct
{
  CcTransformKind  kind;
  char            *value;      /* default */
  GStrv            fields;     /* concat */
  char            *separator;  /* concat */
  char            *format;     /* date-format: a g_date_time_format() string */
} CcTransform;

typedef struct
{
  char     *from;   /* compared with the source value's string form */
  JsonNode *to;     /* a JSON scalar (or null) */
} CcReplacement;

typedef struct
{
  char      *source;
  char      *target;
  gboolean   apply_updates;
  GPtrArray *transforms;    /* CcTransform*, applied in order */
  GPtrArray *replacements;  /* CcReplacement*, first match wins */
} CcFieldMapping;

typedef enum
{
  CC_FILTER_EQ,
  CC_FILTER_NE,
  CC_FILTER_GT,
  CC_FILTER_GE,
  CC_FILTER_LT,
  CC_FILTER_LE,
  CC_FILTER_CONTAINS,
  CC_FILTER_STARTS_WITH,
  CC_FILTER_ENDS_WITH,
  CC_FILTER_IS_NULL,
  CC_FILTER_IS_NOT_NULL,
} CcFilterOp;

typedef struct
{
  char       *field;
  CcFilterOp  op;
  JsonNode   *value;   /* a JSON scalar; NULL for is-null / is-not-null */
} CcFilterCondition;

typedef struct
{
  char      *id;                  /* unique in the workflow; default = source */
  char      *source;              /* Dynamics table logical name, e.g. "contact" */
  char      *target;              /* Campaign resource, e.g. "profileAndServicesExt/profile"
                                   * or "customResources/cusMembership" */
  char      *target_key;          /* Campaign field that holds the Dynamics id
                                   * (profiles: "externalId") */
  char      *key_filter;          /* Campaign filter to find a record by its key,
                                   * e.g. "byExternalId" (NULL: address by custom key) */
  GPtrArray *fields;              /* CcFieldMapping* */
  gboolean   filter_any;          /* TRUE = conditions combined with Or, FALSE = And */
  GPtrArray *filters;             /* CcFilterCondition* */
  gboolean   delete_filtered_out; /* delete from Campaign records that become filtered out */
  gboolean   apply_deletes;
  gboolean   display_values;      /* picklists/booleans as display labels (Dynamics
                                   * formatted values) instead of technical values */
  char      *parent_mapping;      /* optional: id of a mapping whose record must exist
                                   * in Campaign before this one is written (linked
                                   * custom resources) */
  char      *parent_field;        /* the source field holding the parent's Dynamics id */
  char      *parent_link;         /* optional: the link of the target that points at the
                                   * parent's record (e.g. "profile" on a custom resource
                                   * linked to the profile), written as the parent's PKey */
  char      *parent_target;       /* the parent mapping's target (resolved, not in JSON) */
} CcTableMapping;

#define CC_INGRESS_DEFAULT_WRITE_CONCURRENCY 8
#define CC_INGRESS_DEFAULT_PAGE_SIZE         5000
#define CC_INGRESS_DEFAULT_POLL_INTERVAL     10

typedef struct
{
  GPtrArray *mappings;          /* CcTableMapping* */
  guint      write_concurrency; /* 1..64, default 8 */
  guint      page_size;         /* 1..5000, default 5000 */
  guint      poll_interval_s;   /* 1..3600, default 10: wait between change polls */
} CcIngressConfig;

/* Parses and validates. On error: CC_ERROR_INVALID_CONFIG with a message
 * that starts with the field's path, then says what is wrong, e.g.
 *   "mappings[0].fields[2].target: “email” is already the target of mappings[0].fields[1]"
 * Unknown members are refused too (a typo must not be silently ignored). */
CcIngressConfig      *cc_ingress_config_parse          (JsonNode               *node,
                                                        GError                **error);
JsonNode             *cc_ingress_config_to_json        (const CcIngressConfig  *config);
void                  cc_ingress_config_free           (CcIngressConfig        *config);
/* docs/architecture.md, "Out of the box": contacts into Campaign profiles. */
JsonNode             *cc_ingress_config_default        (void);
/* The mapping whose id is @id, or NULL. */
const CcTableMapping *cc_ingress_config_find_mapping   (const CcIngressConfig  *config,
                                                        const char             *id);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CcIngressConfig, cc_ingress_config_free)

/* Column names to $select for @mapping: every source field used (fields,
 * concat inputs, filters, parent_field); the primary key is added by the
 * caller. Returned sorted, unique. */
GStrv                 cc_table_mapping_source_columns  (const CcTableMapping   *mapping);

/* Checks a mapping against the live schemas (the setup check, and
 * Starting): an item in @report for each column of @table it reads
 * ("dynamics.column.…") and each field of @type it writes
 * ("campaign.field.…"). A missing one says why in words a user can act on,
 * e.g.
 *   "Field “new_tier” no longer exists in Dynamics 365 table “contact”"
 *   "Field “cusTier” does not exist in Campaign resource “profileAndServicesExt/profile”"
 *   "Campaign field “created” is read-only and cannot be written"
 *   "Campaign field “cusName” of “profileAndServicesExt/cusLoyalty” is not a link …" */
void                  cc_table_mapping_check_columns   (const CcTableMapping          *mapping,
                                                        const CcDataverseTable        *table,
                                                        CcCheckReport                 *report);
void                  cc_table_mapping_check_fields    (const CcTableMapping          *mapping,
                                                        const CcCampaignResourceType  *type,
                                                        CcCheckReport                 *report);

G_END_DECLS
