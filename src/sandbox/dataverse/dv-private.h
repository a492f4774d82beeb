/* dv-private.h — what the files of the Dataverse emulator share.
 *
 * The emulator is one object (DvServer) split by responsibility:
 *   dv-server.c    HTTP entry, routing
 *   dv-limits.c    service protection
 *   dv-users.c     the application users, each with its own limits
 *   dv-http.c      a request and its answer, Prefer, helpers
 *   dv-entra.c     Entra ID tokens and the bearer check
 *   dv-schema.c    the tables' definitions, column types
 *   dv-tables.c    rows, versions, value validation, undo log
 *   dv-rows.c      a row as JSON (projection, annotations)
 *   dv-expand.c    $expand of lookups
 *   dv-query.c     GET: query options, paging, counts
 *   dv-delta.c     change tracking: deltaLinks, deletions
 *   dv-write.c     POST / PATCH / DELETE, binds
 *   dv-property.c  single properties and lookup references
 *   dv-keys.c      alternate keys, their indexes, key segments
 *   dv-batch.c     $batch
 *   dv-csdl.c      service document and $metadata
 *   dv-metadata.c  EntityDefinitions: routes and query options
 *   dv-metadata-objects.c  the metadata entities as JSON
 *   dv-security.c  the application user, its privileges, WhoAmI
 *   dv-customize.c creating tables, columns and keys; change tracking
 *   dv-admin.c     /_sandbox/ on the Dataverse port
 * Everything here runs on the sandbox thread only.
 */
#pragma once

#include "dv-server.h"
#include "dv-odata-filter.h"

G_BEGIN_DECLS

#define DV_API_PATH        "/api/data/v9.2/"
#define DV_MAX_PAGE_SIZE   5000
#define DV_COUNT_LIMIT     5000
#define DV_MAX_BATCH_PARTS 1000
#define DV_NAMESPACE       "Microsoft.Dynamics.CRM"

typedef enum
{
  DV_TYPE_STRING,
  DV_TYPE_MEMO,
  DV_TYPE_UNIQUEIDENTIFIER,
  DV_TYPE_BOOLEAN,
  DV_TYPE_PICKLIST,
  DV_TYPE_STATE,
  DV_TYPE_STATUS,
  DV_TYPE_DATE,        /* AttributeType DateTime, behaviour DateOnly */
  DV_TYPE_DATETIME,
  DV_TYPE_LOOKUP,
  DV_TYPE_BIGINT,
  DV_TYPE_INTEGER,
} DvType;

typedef struct
{
  int         value;
  const char *label;
} DvOption;

/* AttributeRequiredLevel, in the metadata's order of names. */
typedef enum
{
  DV_REQUIRED_NONE,
  DV_REQUIRED_SYSTEM,
  DV_REQUIRED_APPLICATION,
  DV_REQUIRED_RECOMMENDED,
} DvRequiredLevel;

enum
{
  DV_COLUMN_PK       = 1 << 0,
  DV_COLUMN_NAME     = 1 << 1,   /* PrimaryNameAttribute */
  DV_COLUMN_READONLY = 1 << 2,   /* system-set */
  DV_COLUMN_CUSTOM   = 1 << 3,
};

/* A column as a table definition gives it (the seeded schema, and what a
 * metadata write would add). */
typedef struct
{
  const char      *name;
  const char      *schema;
  const char      *display;
  DvType           type;
  guint            max_length;
  guint            flags;           /* DV_COLUMN_* */
  const char      *target;          /* lookups */
  const DvOption  *options;
  guint            n_options;
  DvRequiredLevel  required;        /* beyond what the flags imply */
} DvColumnSpec;

typedef struct
{
  char           *logical_name;   /* the attribute: "new_contactid" */
  char           *property;       /* its Web API property: "_new_contactid_value" */
  char           *schema_name;
  char           *display_name;
  char           *metadata_id;
  DvType          type;
  guint           max_length;     /* strings */
  gboolean        valid_for_create;
  gboolean        valid_for_update;
  gboolean        is_primary_id;
  gboolean        is_primary_name;
  gboolean        is_custom;
  DvRequiredLevel required_level;
  char           *target;         /* lookups: the target table */
  char           *navprop;        /* lookups: the single-valued navigation property */
  const DvOption *options;        /* picklist / state / status */
  guint           n_options;
  const char     *true_label;     /* booleans */
  const char     *false_label;
} DvColumn;

typedef struct
{
  const char        *logical_name;
  const char        *schema_name;
  const char        *display_name;
  const char *const *columns;     /* logical names, NULL-terminated */
} DvKeySpec;

/* An alternate key (EntityKeyMetadata) and its unique index. */
typedef struct
{
  char       *logical_name;
  char       *schema_name;
  char       *display_name;
  char       *metadata_id;
  char      **properties;         /* the key's columns, as Web API properties */
  GHashTable *index;              /* composite of the key values → DvRow* */
  const char *status;             /* EntityKeyIndexStatus: "Pending" while the
                                   * index is built, then "Active" or "Failed" */
} DvKey;

typedef struct
{
  const char *logical_name;
  const char *schema_name;
  const char *display_name;
  const char *entity_set;         /* NULL = logical name + "s" */
  gboolean    is_custom;
  gboolean    is_activity;
} DvTableSpec;

typedef struct _DvTable DvTable;

typedef struct
{
  char           *id;
  JsonObject     *data;           /* every column of the table, null when unset */
  gint64          version;
  guint64         seq;            /* creation order, for stable paging */
  GList           version_link;   /* in DvTable.by_version; data = the row */
  GSequenceIter  *order_iter;     /* in DvTable.order */
} DvRow;

typedef struct
{
  gint64 version;
  char   id[40];
} DvTombstone;

struct _DvTable
{
  DvServer *server;
  char              *logical_name;
  char              *schema_name;
  char              *entity_set;
  char              *primary_id;
  char              *primary_name;
  char              *display_name;
  char              *metadata_id;
  gboolean           is_custom;
  gboolean           is_activity;
  gboolean           change_tracking;
  const char        *ownership;          /* OwnershipType: "UserOwned", … */
  gboolean           customizable;       /* system tables a customizer cannot change: FALSE */
  GPtrArray         *keys;               /* DvKey*, owned: the alternate keys */
  GPtrArray         *columns;            /* DvColumn*, owned */
  GHashTable        *columns_by_property;
  GHashTable        *columns_by_navprop;
  GHashTable        *rows;               /* id → DvRow*, owns the rows */
  GSequence         *order;              /* DvRow* by seq */
  GQueue             by_version;         /* DvRow* by version, oldest first */
  GArray            *tombstones;         /* DvTombstone, by version */
};

typedef struct
{
  guint64 total;
  guint64 token;
  guint64 get;
  guint64 post;
  guint64 patch;
  guint64 delete;
  guint64 batch;
  guint64 batch_parts;
  guint64 throttled;
} DvStats;

typedef struct _DvUndoLog DvUndoLog;
typedef struct _DvLimits DvLimits;

/* An application user: who signs in, and what the service-protection
 * limits count for it. */
typedef struct
{
  char     *client_id;
  char     *secret;
  DvLimits *limits;
  guint     in_flight;     /* its requests being served */
  guint64   requests;      /* admitted Web API requests */
  guint64   throttled;     /* refused with 429 */
} DvUser;

/* What an access token stands for. */
typedef struct
{
  gint64  expiry;          /* monotonic µs */
  DvUser *user;
} DvToken;

struct _DvServer
{
  SoupServer       *server;
  CcSandboxOptions  options;
  CcSandboxFaults  *faults;
  char             *base_url;      /* http://127.0.0.1:PORT */
  char             *api_root;      /* base_url + /api/data/v9.2 */
  char             *org_id;

  GPtrArray        *tables;        /* DvTable*, owned */
  GHashTable       *tables_by_set;
  GHashTable       *tables_by_name;

  gint64            version;       /* the newest row version handed out */
  guint64           next_seq;
  gint64            delta_floor;   /* delta tokens below this version are expired */

  GHashTable       *tokens;        /* access token → DvToken */
  GHashTable       *users;         /* client id → DvUser, owned */
  GPtrArray        *user_order;    /* DvUser*, as registered */
  char             *user_id;       /* the application user every token stands for */
  char             *business_unit_id;
  GHashTable       *revoked;       /* privileges its role lacks (it holds all others) */
  GHashTable       *in_flight;     /* SoupServerMessage* being served */

  DvStats           stats;
  DvUndoLog        *undo;          /* set while a change set runs */
  GPtrArray        *key_jobs;      /* GSource*: indexes of new keys being built */
};

typedef struct
{
  gboolean  return_representation;
  gboolean  track_changes;
  gboolean  continue_on_error;
  int       maxpagesize;           /* 0 = not asked for */
  char     *annotations;           /* the include-annotations value, or NULL */
  gboolean  formatted_values;
  gboolean  lookup_annotations;
  gboolean  total_count;
} DvPrefer;

/* One Web API request, from HTTP or from a $batch part. */
typedef struct
{
  char               *method;
  char              **segments;     /* path below the API root, decoded */
  char               *raw_path;     /* below the API root, as sent */
  char               *raw_query;    /* as sent, or NULL */
  GHashTable         *query;        /* decoded query options */
  SoupMessageHeaders *headers;
  GBytes             *body;
  DvPrefer            prefer;
  GHashTable         *content_ids;  /* $batch: "1" → entity URL, or NULL */
} DvRequest;

typedef struct
{
  guint               status;
  SoupMessageHeaders *headers;
  char               *content_type;
  GBytes             *body;
  char               *entity_url;   /* the row a write touched, for $batch Content-IDs */
} DvResponse;

/* A parsed collection query (dv-query.c). */
typedef struct
{
  DvColumn *column;
  gboolean  descending;
} DvOrderKey;

/* What a nextLink carries, inside an opaque cookie. */
typedef struct
{
  gint64     page;
  guint64    after_seq;      /* default order: last row's creation seq */
  JsonArray *keys;           /* $orderby: last row's key values */
  gboolean   tracking;       /* the initial read of a tracked query */
  gboolean   delta;          /* a delta read */
  gint64     snapshot;       /* version the read started from */
  gint64     phase;          /* delta: 0 = changed rows, 1 = deletions */
  gint64     after_version;  /* delta: last version returned */
} DvPagingState;

typedef struct _DvExpand DvExpand;

typedef struct
{
  GPtrArray     *select;
  GPtrArray     *expand;     /* DvExpand*, or NULL */
  DvOdataFilter *filter;
  GArray        *order;      /* DvOrderKey */
  gint64         top;        /* -1 = none */
  gboolean       count;
  gboolean       has_state;
  DvPagingState  state;
  const char    *deltatoken;
} DvQuery;

/* dv-http.c */
DvRequest  *dv_request_new            (const char         *method,
                                       const char         *path_and_query,
                                       SoupMessageHeaders *headers,
                                       GBytes             *body);
void        dv_request_free           (DvRequest          *req);
const char *dv_request_get_query      (DvRequest          *req,
                                       const char         *name);
/* The body parsed as a JSON object (a new reference), or NULL. */
JsonObject *dv_request_json_object    (DvRequest          *req);
/* Splits "a,b(x,y),c" at @sep outside parentheses, stripped, without
 * empty items (g_free'd strings). */
GPtrArray  *dv_split_outside_parens   (const char         *text,
                                       char                sep);
DvResponse *dv_response_new           (void);
void        dv_response_free          (DvResponse         *resp);
void        dv_response_set_json      (DvResponse         *resp,
                                       guint               status,
                                       JsonNode           *root,
                                       gboolean            collection);
void        dv_response_set_text      (DvResponse         *resp,
                                       guint               status,
                                       const char         *content_type,
                                       const char         *text);
void        dv_response_error         (DvResponse         *resp,
                                       guint               status,
                                       const char         *code,
                                       const char         *format,
                                       ...) G_GNUC_PRINTF (4, 5);
/* 405, as Dataverse answers a method a resource does not take. */
void        dv_response_method_not_allowed (DvResponse    *resp,
                                            DvRequest     *req);
void        dv_response_add_preference (DvResponse        *resp,
                                        const char        *preference);
char       *dv_server_entity_url      (DvServer  *self,
                                       DvTable            *table,
                                       const char         *id);
char       *dv_now_iso                (void);
gboolean    dv_is_guid                (const char         *text);

/* dv-server.c */
void        dv_server_execute         (DvServer  *self,
                                       DvRequest          *req,
                                       DvResponse         *resp);

/* dv-limits.c */
DvLimits   *dv_limits_new             (guint               window_s);
void        dv_limits_free            (DvLimits           *limits);
/* Whether a Web API request @msg of @user may run; FALSE with a 429 in
 * @resp. */
gboolean    dv_limits_admit           (DvServer           *self,
                                       DvUser             *user,
                                       SoupServerMessage  *msg,
                                       DvResponse         *resp);
/* Adds the execution time of an admitted request to @user's window. */
void        dv_limits_record          (DvUser             *user,
                                       gint64              exec_us);

/* dv-users.c */
void        dv_users_init             (DvServer           *self);
void        dv_users_clear            (DvServer           *self);
/* NULL when @client_id is no application user. */
DvUser     *dv_users_find             (DvServer           *self,
                                       const char         *client_id);
/* Counts @msg as in flight for @user until libsoup is done with it. */
void        dv_user_track             (DvUser             *user,
                                       SoupServerMessage  *msg);
/* Detaches @msg from its user, which is going away. */
void        dv_user_forget            (SoupServerMessage  *msg);
void        dv_handle_users           (DvServer           *self,
                                       SoupServerMessage  *msg);

/* dv-entra.c */
void        dv_handle_token           (DvServer  *self,
                                       SoupServerMessage  *msg,
                                       const char         *tenant);
/* The user @msg's bearer token stands for; NULL with a 401 in @resp. */
DvUser     *dv_authenticate           (DvServer  *self,
                                       SoupServerMessage  *msg,
                                       DvResponse         *resp);

/* dv-schema.c */
void        dv_tables_create          (DvServer  *self);
/* Adds a table without columns; the first column added with
 * DV_COLUMN_PK becomes its primary key. */
DvTable    *dv_server_add_table       (DvServer           *self,
                                       const DvTableSpec  *spec);
DvColumn   *dv_table_add_column       (DvTable            *table,
                                       const DvColumnSpec *spec);
/* The columns Dataverse gives a new custom table: its primary key,
 * @primary_name (an activity's is always Subject, and it gets the
 * regarding lookup and the state of every activity), state and status,
 * and the audit stamps. */
void        dv_table_add_system_columns (DvTable          *table,
                                         const DvColumnSpec *primary_name);
void        dv_server_remove_table    (DvServer           *self,
                                       DvTable            *table);
void        dv_table_free             (DvTable            *table);
DvTable    *dv_server_table_by_set    (DvServer  *self,
                                       const char         *entity_set);
DvTable    *dv_server_table_by_name   (DvServer  *self,
                                       const char         *logical_name);
DvColumn   *dv_table_column           (DvTable            *table,
                                       const char         *property);
DvColumn   *dv_table_column_by_name   (DvTable            *table,
                                       const char         *logical_name);
/* What a row holds in a column nobody has set (a new reference). */
JsonNode   *dv_column_default         (DvColumn           *column);
DvOdataType dv_column_odata_type      (DvColumn           *column);
const char *dv_column_edm_type        (DvColumn           *column);
const char *dv_column_attribute_type  (DvColumn           *column);
const char *dv_column_option_label    (DvColumn           *column,
                                       gint64              value);

/* dv-tables.c */
void        dv_tables_seed            (DvServer  *self);
void        dv_row_free               (DvRow              *row);
/* Rows by their insertion sequence (a table's default order), for
 * g_sequence_*_sorted. */
gint        dv_row_compare_seq        (gconstpointer       a,
                                       gconstpointer       b,
                                       gpointer            data);
DvRow      *dv_table_row              (DvTable            *table,
                                       const char         *id);
DvRow      *dv_table_insert           (DvTable            *table,
                                       const char         *id,
                                       JsonObject         *values);
void        dv_table_update           (DvTable            *table,
                                       DvRow              *row,
                                       JsonObject         *changes);
void        dv_table_delete           (DvTable            *table,
                                       DvRow              *row);
gboolean    dv_table_remove_column    (DvTable            *table,
                                       const char         *name);
gboolean    dv_column_convert         (DvTable            *table,
                                       DvColumn           *column,
                                       JsonNode           *in,
                                       JsonNode          **out,
                                       DvResponse         *resp);
char       *dv_row_etag               (DvRow              *row);

/* dv-rows.c */
JsonObject *dv_row_to_json            (DvTable            *table,
                                       DvRow              *row,
                                       GPtrArray          *select,
                                       const DvPrefer     *prefer,
                                       const char         *context);
GPtrArray  *dv_parse_select           (DvTable            *table,
                                       const char         *text,
                                       DvResponse         *resp);
char       *dv_context_url            (DvServer  *self,
                                       DvTable            *table,
                                       GPtrArray          *select,
                                       GPtrArray          *expand,
                                       const char         *suffix);

/* dv-expand.c */
void        dv_expand_free            (DvExpand           *expand);
/* Parses a $expand of lookups into DvExpand*; NULL with a 400. */
GPtrArray  *dv_parse_expand           (DvServer           *self,
                                       DvTable            *table,
                                       const char         *text,
                                       DvResponse         *resp);
/* Adds each expanded lookup of @row to @out. */
void        dv_expand_apply           (DvServer           *self,
                                       GPtrArray          *expands,
                                       DvRow              *row,
                                       const DvPrefer     *prefer,
                                       JsonObject         *out);
/* Appends "nav(col,…)" for each expansion, as a context URL names them. */
void        dv_expand_describe        (GPtrArray          *expands,
                                       GString            *out);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (DvExpand, dv_expand_free)

/* dv-query.c */
void        dv_handle_collection_get  (DvServer  *self,
                                       DvRequest          *req,
                                       DvResponse         *resp,
                                       DvTable            *table);
void        dv_handle_count           (DvServer  *self,
                                       DvRequest          *req,
                                       DvResponse         *resp,
                                       DvTable            *table);
void        dv_handle_entity_get      (DvServer  *self,
                                       DvRequest          *req,
                                       DvResponse         *resp,
                                       DvTable            *table,
                                       const char         *key);
void        dv_query_clear            (DvQuery            *q);
char       *dv_paging_encode          (const DvPagingState *state);
char       *dv_link_with              (DvServer  *self,
                                       DvRequest          *req,
                                       const char         *name,
                                       const char         *value);
gboolean    dv_check_tracking         (DvTable            *table,
                                       DvRequest          *req,
                                       DvResponse         *resp);
void        dv_add_preferences        (DvRequest          *req,
                                       DvResponse         *resp,
                                       gboolean            tracking);

/* dv-delta.c */
char       *dv_delta_link             (DvServer  *self,
                                       DvTable            *table,
                                       DvRequest          *req,
                                       gint64              version);
void        dv_serve_delta            (DvServer  *self,
                                       DvRequest          *req,
                                       DvResponse         *resp,
                                       DvTable            *table,
                                       DvQuery            *q,
                                       guint               page_size);
gboolean    dv_count_changes          (DvServer  *self,
                                       DvTable            *table,
                                       const char         *token,
                                       guint64            *n,
                                       DvResponse         *resp);

/* dv-write.c */
/* Resolves "<navprop>@odata.bind" (or a $ref's "@odata.id") to the id
 * of a row of @column's target. */
gboolean    dv_resolve_bind           (DvServer           *self,
                                       DvRequest          *req,
                                       DvTable            *table,
                                       DvColumn           *column,
                                       JsonNode           *node,
                                       JsonNode          **out,
                                       DvResponse         *resp);
void        dv_body_not_object        (DvTable            *table,
                                       DvResponse         *resp);
/* 404 for a row missing by primary key (@id) or alternate key. */
void        dv_not_found              (DvTable            *table,
                                       const char         *id,
                                       JsonObject         *key_values,
                                       DvResponse         *resp);
void        dv_handle_create          (DvServer  *self,
                                       DvRequest          *req,
                                       DvResponse         *resp,
                                       DvTable            *table);
void        dv_handle_upsert          (DvServer  *self,
                                       DvRequest          *req,
                                       DvResponse         *resp,
                                       DvTable            *table,
                                       const char         *key);
void        dv_handle_delete          (DvServer  *self,
                                       DvRequest          *req,
                                       DvResponse         *resp,
                                       DvTable            *table,
                                       const char         *key);

/* dv-keys.c */
DvKey      *dv_table_add_key          (DvTable            *table,
                                       const DvKeySpec    *spec);
void        dv_key_free               (DvKey              *key);
gboolean    dv_key_has_property       (DvKey              *key,
                                       const char         *property);
void        dv_table_drop_keys_with   (DvTable            *table,
                                       const char         *property);
void        dv_keys_link_row          (DvTable            *table,
                                       DvRow              *row);
void        dv_keys_unlink_row        (DvTable            *table,
                                       DvRow              *row);
/* The row other than @row (NULL: a new row) that holds the key values
 * @row would have with @values applied, or NULL. */
DvRow      *dv_table_key_conflict     (DvTable            *table,
                                       DvRow              *row,
                                       JsonObject         *values);
/* Resolves a key segment: sets @id for a primary key, @key_values (the
 * alternate key's column values) for an alternate key, and @row when the
 * row exists. FALSE with a 400 for a key the table does not have. */
/* Whether two values are one key value (strings case-insensitively). */
gboolean    dv_key_values_equal       (JsonNode           *a,
                                       JsonNode           *b);
/* 400: the key segment names no key of @table. */
void        dv_invalid_key            (DvTable            *table,
                                       DvResponse         *resp);
gboolean    dv_resolve_key            (DvTable            *table,
                                       const char         *text,
                                       DvRow             **row,
                                       char              **id,
                                       JsonObject        **key_values,
                                       DvResponse         *resp);

/* dv-tables.c: the undo log of a running change set */
DvUndoLog  *dv_undo_begin             (DvServer  *self);
void        dv_undo_record            (DvUndoLog          *log,
                                       DvTable            *table,
                                       const char         *id,
                                       DvRow              *before);
void        dv_undo_rollback          (DvServer  *self,
                                       DvUndoLog          *log);
void        dv_undo_free              (DvUndoLog          *log);

/* dv-property.c: <set>(<key>)/<column>[/$value], <set>(<key>)/<navprop>[/$ref] */
void        dv_handle_property        (DvServer           *self,
                                       DvRequest          *req,
                                       DvResponse         *resp,
                                       DvTable            *table,
                                       const char         *key,
                                       char              **rest,
                                       guint               n_rest);

/* dv-batch.c */
void        dv_handle_batch           (DvServer  *self,
                                       DvRequest          *req,
                                       DvResponse         *resp);

/* dv-metadata-objects.c */
gint64      dv_table_object_type_code (DvServer           *self,
                                       DvTable            *table);
JsonObject *dv_metadata_label         (DvServer           *self,
                                       const char         *text);
JsonObject *dv_entity_metadata        (DvServer           *self,
                                       DvTable            *table);
JsonObject *dv_attribute_metadata     (DvServer           *self,
                                       DvTable            *table,
                                       DvColumn           *column);
JsonObject *dv_option_set_metadata    (DvServer           *self,
                                       DvTable            *table,
                                       DvColumn           *column);
JsonObject *dv_key_metadata           (DvServer           *self,
                                       DvTable            *table,
                                       DvKey              *key);
/* "Microsoft.Dynamics.CRM.StringAttributeMetadata" */
char       *dv_attribute_cast         (DvColumn           *column);
gboolean    dv_column_has_options     (DvColumn           *column);
/* The enumeration a metadata property (or path) holds, or NULL. */
const char *dv_metadata_enum_type     (const char         *property);
extern const char *const dv_attribute_base_properties[];

/* dv-metadata.c */
void        dv_handle_service_document (DvServer *self,
                                        DvRequest         *req,
                                        DvResponse        *resp);
void        dv_handle_metadata        (DvServer  *self,
                                       DvRequest          *req,
                                       DvResponse         *resp);
void        dv_handle_entity_definitions (DvServer *self,
                                          DvRequest         *req,
                                          DvResponse        *resp);

/* dv-security.c */
void        dv_security_init          (DvServer           *self);
void        dv_security_clear         (DvServer           *self);
/* "prvCreatenew_Membership"; "prvCreateActivity" for an activity table. */
char       *dv_table_privilege        (DvTable            *table,
                                       const char         *kind);
char       *dv_privilege_id           (DvServer           *self,
                                       const char         *name);
gboolean    dv_privilege_exists       (DvServer           *self,
                                       const char         *name);
/* Takes @name from the application user; FALSE when no such privilege. */
gboolean    dv_revoke_privilege       (DvServer           *self,
                                       const char         *name);
/* Whether the application user may do @kind ("Create", "Read", "Write",
 * "Delete", "Append", "AppendTo") to rows of @table; FALSE with the 403
 * Dataverse answers. */
gboolean    dv_require                (DvServer           *self,
                                       DvTable            *table,
                                       const char         *kind,
                                       DvResponse         *resp);
gboolean    dv_require_customization  (DvServer           *self,
                                       const char         *privilege,
                                       DvResponse         *resp);
void        dv_handle_who_am_i        (DvServer           *self,
                                       DvRequest          *req,
                                       DvResponse         *resp);
/* systemusers(<key>)/<rest…> */
void        dv_handle_system_user     (DvServer           *self,
                                       DvRequest          *req,
                                       DvResponse         *resp,
                                       const char         *key,
                                       char              **rest);

/* dv-customize.c */
void        dv_handle_create_entity   (DvServer           *self,
                                       DvRequest          *req,
                                       DvResponse         *resp);
void        dv_handle_update_entity   (DvServer           *self,
                                       DvRequest          *req,
                                       DvResponse         *resp,
                                       DvTable            *table);
void        dv_handle_create_attribute (DvServer          *self,
                                        DvRequest         *req,
                                        DvResponse        *resp,
                                        DvTable           *table);
void        dv_handle_create_key      (DvServer           *self,
                                       DvRequest          *req,
                                       DvResponse         *resp,
                                       DvTable            *table);

/* dv-admin.c */
void        dv_handle_admin           (DvServer  *self,
                                       SoupServerMessage  *msg,
                                       const char         *path);

G_END_DECLS
