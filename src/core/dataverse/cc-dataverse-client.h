/* cc-dataverse-client.h — the Dataverse Web API (Dynamics 365), synchronous.
 *
 * A CcDataverseClient talks to one environment's Web API
 * (<environment-url>/api/data/v9.2/) with a token from Entra ID. It owns a
 * CcHttp, so it belongs to the thread that created it: each engine worker
 * makes its own client. All calls block and honour their GCancellable.
 *
 * Error rules: transport trouble, 5xx and 429 are retried inside and end
 * as CC_ERROR_TRANSIENT; refused credentials are CC_ERROR_AUTH_FAILED;
 * schema trouble (unknown table or column) is CC_ERROR_SCHEMA; an expired
 * change-tracking token is CC_ERROR_EXPIRED_CURSOR. Writes return a
 * CcDataverseResult carrying the HTTP status and the server's message, so
 * a rejected record is data, not a GError.
 */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "cc-http.h"
#include "cc-json-row.h"
#include "cc-throttle.h"
#include "cc-token-source.h"

G_BEGIN_DECLS

#define CC_DATAVERSE_API_PATH "/api/data/v9.2/"
/* Largest page the service honours, and the most requests in a $batch. */
#define CC_DATAVERSE_MAX_PAGE_SIZE 5000
#define CC_DATAVERSE_MAX_BATCH_OPS 1000

typedef struct
{
  const char *url;         /* environment URL, e.g. https://org.crm.dynamics.com */
  const char *tenant;      /* used for the default token URL */
  const char *client_id;
  const char *token_url;   /* NULL/"" = Entra's v2 endpoint for @tenant */
  const char *secret;      /* the client secret (copied, never logged) */
  guint       max_conns;   /* 0 = CcHttp's default */
  /* The application user's back-off, shared by every client signed in as
   * that user (a reference is kept; NULL: this client's own). */
  CcThrottle *throttle;
} CcDataverseSettings;

/* ------------------------------------------------------------------ */
/* Schema                                                              */

typedef struct
{
  int   value;
  char *label;             /* the user-localized label */
} CcDataverseOption;

typedef struct
{
  char      *logical_name;
  char      *attribute_type;    /* AttributeType: "String", "Picklist", "Lookup", … */
  char      *type_name;         /* AttributeTypeName.Value: "StringType", … (may be NULL) */
  gboolean   valid_for_read;
  gboolean   valid_for_create;
  gboolean   valid_for_update;
  int        max_length;        /* strings; -1 when not given */
  GStrv      targets;           /* lookups: logical names of target tables; NULL otherwise */
  GPtrArray *options;           /* CcDataverseOption*; Picklist/State/Status/Boolean
                                 * when asked for with_options, else NULL */
} CcDataverseColumn;

/* An alternate key (EntityKeyMetadata). */
typedef struct
{
  char  *logical_name;
  GStrv  attributes;        /* KeyAttributes: the logical names of its columns */
  char  *index_status;      /* EntityKeyIndexStatus: "Active", "Pending",
                             * "InProgress", "Failed" */
} CcDataverseKey;

typedef struct
{
  char       *logical_name;
  char       *schema_name;
  char       *metadata_id;
  char       *entity_set_name;       /* use this in URLs, never a guessed plural */
  char       *primary_id_attribute;
  char       *primary_name_attribute;
  char       *display_name;          /* may be NULL */
  gboolean    change_tracking;
  gboolean    is_custom;
  gboolean    is_activity;
  GPtrArray  *columns;               /* CcDataverseColumn*; empty from list_tables */
  GPtrArray  *keys;                  /* CcDataverseKey*; empty from list_tables */
  GHashTable *privileges;            /* PrivilegeType ("Create", "Read", "Write",
                                      * "Append", "AppendTo", …) → the privilege's
                                      * name; empty from list_tables */
} CcDataverseTable;

void                     cc_dataverse_table_free        (CcDataverseTable *table);
const CcDataverseColumn *cc_dataverse_table_find_column (const CcDataverseTable *table,
                                                         const char             *logical_name);
/* The label of @value in @column's options, or NULL. */
const char              *cc_dataverse_column_get_label  (const CcDataverseColumn *column,
                                                         int                      value);
/* The alternate key of @table made of exactly the column @logical_name,
 * or NULL. */
const CcDataverseKey    *cc_dataverse_table_find_key    (const CcDataverseTable  *table,
                                                         const char              *logical_name);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CcDataverseTable, cc_dataverse_table_free)

/* ------------------------------------------------------------------ */
/* Reading                                                             */

typedef enum
{
  CC_DATAVERSE_READ_NONE              = 0,
  /* Sends Prefer: odata.track-changes (only needed on the initial URL;
   * a deltaLink does not need it but it does no harm). */
  CC_DATAVERSE_READ_TRACK_CHANGES     = 1 << 0,
  /* Asks for <col>@OData.Community.Display.V1.FormattedValue annotations. */
  CC_DATAVERSE_READ_FORMATTED_VALUES  = 1 << 1,
} CcDataverseReadFlags;

typedef struct
{
  GPtrArray *rows;          /* CcJsonRow* (new or changed rows), in order */
  GPtrArray *deleted_ids;   /* char*: ids of $deletedEntity rows */
  char      *next_link;     /* follow verbatim; NULL on the last page */
  char      *delta_link;    /* on the last page of a tracked read; else NULL */
} CcDataversePage;

void              cc_dataverse_page_free (CcDataversePage *page);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CcDataversePage, cc_dataverse_page_free)

/* ------------------------------------------------------------------ */
/* Writing                                                             */

typedef struct
{
  char       *method;         /* "POST", "PATCH", "DELETE", "GET" */
  char       *url;            /* relative to the Web API root, e.g. "contacts(…)" */
  JsonObject *body;           /* NULL for DELETE/GET */
  char       *if_match;       /* NULL, "*" or an ETag */
  char       *if_none_match;  /* NULL or "*" */
  char       *content_id;     /* NULL = assigned by the client ("1", "2", …) */
} CcDataverseOp;

/* Takes a reference on @body (may be NULL). */
CcDataverseOp *cc_dataverse_op_new  (const char *method,
                                     const char *url,
                                     JsonObject *body);
void           cc_dataverse_op_free (CcDataverseOp *op);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CcDataverseOp, cc_dataverse_op_free)

typedef struct
{
  guint       status;       /* HTTP status of the operation; 0 = not executed
                             * (a batch stopped or rolled back before it) */
  char       *error_code;   /* Dataverse error code ("0x80044331"), or NULL */
  char       *message;      /* the server's message, or NULL on success */
  char       *entity_id;    /* the id from OData-EntityId, or NULL */
  char       *content_id;   /* the operation's Content-ID (batches) */
  char       *etag;         /* ETag header when given, or NULL */
  JsonObject *body;         /* the JSON body when there is one, or NULL */
} CcDataverseResult;

void      cc_dataverse_result_free       (CcDataverseResult *result);
/* 2xx. */
gboolean  cc_dataverse_result_is_success (const CcDataverseResult *result);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CcDataverseResult, cc_dataverse_result_free)

typedef enum
{
  CC_DATAVERSE_BATCH_NONE              = 0,
  /* Prefer: odata.continue-on-error: every operation runs and reports its
   * own status. Without it the service stops at the first failure and
   * answers the whole batch with that error: then the failing operation
   * cannot be told apart and every result carries the batch's status and
   * message (operations before it may have been applied). */
  CC_DATAVERSE_BATCH_CONTINUE_ON_ERROR = 1 << 0,
  /* All operations in one change set: applied all or none. Results of a
   * rolled-back change set carry the failing part's status where known and
   * status 0 for the others. GET is not allowed in a change set. */
  CC_DATAVERSE_BATCH_ATOMIC            = 1 << 1,
  /* A 429 fails the batch at once (CC_ERROR_TRANSIENT, nothing was done)
   * instead of waiting out its Retry-After here: for a caller that can
   * send it as another application user meanwhile. The user's back-off
   * holds all the same. */
  CC_DATAVERSE_BATCH_YIELD_WHEN_HELD   = 1 << 2,
} CcDataverseBatchFlags;

typedef enum
{
  CC_DATAVERSE_UPSERT_ANY,          /* PATCH: update or create */
  CC_DATAVERSE_UPSERT_UPDATE_ONLY,  /* If-Match: *      → 404 when missing */
  CC_DATAVERSE_UPSERT_CREATE_ONLY,  /* If-None-Match: * → 412 when present */
} CcDataverseUpsertMode;

/* ------------------------------------------------------------------ */
/* The client                                                          */

#define CC_TYPE_DATAVERSE_CLIENT (cc_dataverse_client_get_type ())
G_DECLARE_FINAL_TYPE (CcDataverseClient, cc_dataverse_client, CC, DATAVERSE_CLIENT, GObject)

CcDataverseClient *cc_dataverse_client_new        (const CcDataverseSettings *settings);
CcHttp            *cc_dataverse_client_get_http   (CcDataverseClient *self);
CcTokenSource     *cc_dataverse_client_get_token_source (CcDataverseClient *self);
/* The application user's back-off the client's requests honour. */
CcThrottle        *cc_dataverse_client_get_throttle (CcDataverseClient *self);
/* "<environment-url>/api/data/v9.2/" */
const char        *cc_dataverse_client_get_api_root (CcDataverseClient *self);

/* Gets a token now (checks the credentials). */
gboolean           cc_dataverse_client_authenticate (CcDataverseClient  *self,
                                                     GCancellable       *cancellable,
                                                     GError            **error);

/* EntityDefinitions(LogicalName='…') with its Attributes. With
 * @with_options, also the option labels of Picklist, State, Status and
 * Boolean columns (one request per such column). Unknown table →
 * CC_ERROR_SCHEMA "Table 'x' does not exist in Dynamics 365". */
CcDataverseTable  *cc_dataverse_client_get_table   (CcDataverseClient  *self,
                                                    const char         *logical_name,
                                                    gboolean            with_options,
                                                    GCancellable       *cancellable,
                                                    GError            **error);
/* The whole definition of a table (EntityMetadata, every property), as
 * a PUT of it must send it back. Unknown table → CC_ERROR_SCHEMA. */
JsonObject        *cc_dataverse_client_get_definition (CcDataverseClient  *self,
                                                       const char         *logical_name,
                                                       GCancellable       *cancellable,
                                                       GError            **error);
/* Every table (no columns), sorted by logical name: for pickers. */
GPtrArray         *cc_dataverse_client_list_tables (CcDataverseClient  *self,
                                                    GCancellable       *cancellable,
                                                    GError            **error);

/* @url (a query, a nextLink or a deltaLink, as stored) with its $select
 * set to @columns, percent-encoded as build_query_url() does; everything
 * else stays as it was, the paging cookie and the delta token included
 * (the columns a read selects do not change where it stands). A $select
 * is added where @url has none. NULL when @url is not a URL. */
char              *cc_dataverse_url_set_select        (const char         *url,
                                                        const char * const *columns);
/* The columns @url's $select names, decoded; NULL when it has none. */
GStrv              cc_dataverse_url_dup_select        (const char         *url);

/* "<api-root><entity_set>?$select=a,b[&$filter=…]" with every part
 * percent-encoded. @filter must be NULL for a change-tracked read. */
char              *cc_dataverse_client_build_query_url (CcDataverseClient  *self,
                                                        const char         *entity_set,
                                                        const char * const *columns,
                                                        const char         *filter);

/* GETs @url (the initial URL, a nextLink or a deltaLink, verbatim) with
 * Prefer odata.maxpagesize=@max_page_size (0 = 5000; send the same value
 * on every follow-up). A $select of a missing column → CC_ERROR_SCHEMA
 * naming it; an expired delta token (code 0x80044352) →
 * CC_ERROR_EXPIRED_CURSOR: drop the deltaLink and read afresh. */
CcDataversePage   *cc_dataverse_client_read_page   (CcDataverseClient    *self,
                                                    const char           *url,
                                                    CcDataverseReadFlags  flags,
                                                    guint                 max_page_size,
                                                    GCancellable         *cancellable,
                                                    GError              **error);
/* What cc_dataverse_client_read_page() makes of the answer it got: the
 * page, or the error an answer other than a success stands for. */
CcDataversePage   *cc_dataverse_client_parse_page  (CcHttpResponse       *response,
                                                    CcDataverseReadFlags  flags,
                                                    GError              **error);

/* POST $batch of @ops (CcDataverseOp*, 1..1000) as multipart/mixed with a
 * fresh boundary. Returns one CcDataverseResult per op, in the order of
 * @ops. A GError only when the batch as a whole could not be sent
 * (transient, auth, cancelled) or its answer cannot be read. A batch of
 * upserts, updates and deletes by key is sent again when its answer is
 * lost; one that holds a create (POST) is not (CC_ERROR_TRANSIENT). */
GPtrArray         *cc_dataverse_client_batch        (CcDataverseClient     *self,
                                                     GPtrArray             *ops,
                                                     CcDataverseBatchFlags  flags,
                                                     GCancellable          *cancellable,
                                                     GError               **error);

/* Single requests. @path is relative to the Web API root, e.g.
 * "contacts(<guid>)" or one from build_key_path(). They return the
 * outcome — including 4xx rejections — or NULL with a GError for
 * transient, auth and cancellation. */
CcDataverseResult *cc_dataverse_client_create      (CcDataverseClient     *self,
                                                    const char            *entity_set,
                                                    JsonObject            *body,
                                                    GCancellable          *cancellable,
                                                    GError               **error);
CcDataverseResult *cc_dataverse_client_upsert      (CcDataverseClient     *self,
                                                    const char            *path,
                                                    JsonObject            *body,
                                                    CcDataverseUpsertMode  mode,
                                                    GCancellable          *cancellable,
                                                    GError               **error);
/* PATCH with If-Match: * (never creates). */
CcDataverseResult *cc_dataverse_client_update      (CcDataverseClient     *self,
                                                    const char            *path,
                                                    JsonObject            *body,
                                                    GCancellable          *cancellable,
                                                    GError               **error);
CcDataverseResult *cc_dataverse_client_delete      (CcDataverseClient     *self,
                                                    const char            *path,
                                                    GCancellable          *cancellable,
                                                    GError               **error);
/* GET one row; the row is result->body (NULL with status 404 when it does
 * not exist). @columns may be NULL (all columns). */
CcDataverseResult *cc_dataverse_client_get         (CcDataverseClient     *self,
                                                    const char            *path,
                                                    const char * const    *columns,
                                                    GCancellable          *cancellable,
                                                    GError               **error);

/* ------------------------------------------------------------------ */
/* Who signs in, and table definitions (cc-dataverse-customize.c)      */

/* WhoAmI: the id of the (application) user the client signs in as. */
char              *cc_dataverse_client_who_am_i       (CcDataverseClient  *self,
                                                       GCancellable       *cancellable,
                                                       GError            **error);
/* RetrieveUserPrivileges of @user_id: what its security roles grant,
 * privilege name → depth ("Basic", "Local", "Deep", "Global"). */
GHashTable        *cc_dataverse_client_get_privileges (CcDataverseClient  *self,
                                                       const char         *user_id,
                                                       GCancellable       *cancellable,
                                                       GError            **error);
/* Whether @depth reaches rows owned by anybody ("Global"). */
gboolean           cc_dataverse_depth_is_global       (const char         *depth);
/* A metadata write: @method POST of a definition to @path
 * ("EntityDefinitions", "EntityDefinitions(LogicalName='x')/Attributes",
 * ".../Keys") or PUT of a table's whole definition, made part of the
 * solution @solution (MSCRM.SolutionUniqueName; NULL = none). Returns the
 * outcome, rejections included; NULL with a GError when nothing can be
 * said: transient trouble (a POST whose answer was lost is not sent
 * again: look the definition up before trying again), a missing
 * privilege or refused credentials (CC_ERROR_AUTH_FAILED), cancellation. */
CcDataverseResult *cc_dataverse_client_customize      (CcDataverseClient  *self,
                                                       const char         *method,
                                                       const char         *path,
                                                       JsonObject         *body,
                                                       const char         *solution,
                                                       GCancellable       *cancellable,
                                                       GError            **error);

/* cc_dataverse_client_get() and cc_dataverse_client_update() as
 * asynchronous requests on the thread-default main context
 * (cc_http_send_async()), each ended by
 * cc_dataverse_client_result_finish() with what the blocking call would
 * have returned: a writer keeps many of them in flight on one thread. */
void               cc_dataverse_client_get_async     (CcDataverseClient   *self,
                                                      const char          *path,
                                                      const char * const  *columns,
                                                      GCancellable        *cancellable,
                                                      GAsyncReadyCallback  callback,
                                                      gpointer             user_data);
void               cc_dataverse_client_update_async  (CcDataverseClient   *self,
                                                      const char          *path,
                                                      JsonObject          *body,
                                                      GCancellable        *cancellable,
                                                      GAsyncReadyCallback  callback,
                                                      gpointer             user_data);
CcDataverseResult *cc_dataverse_client_result_finish (CcDataverseClient   *self,
                                                      GAsyncResult        *result,
                                                      GError             **error);

/* "contacts(<guid>)" */
char              *cc_dataverse_client_build_id_path  (const char         *entity_set,
                                                       const char         *id);
/* Alternate key: "new_emailsends(new_campaigneventid='O''Brien%20ü')",
 * several keys separated by commas. @keys and @values are parallel,
 * NULL-terminated; values are string literals ('' escaped, then
 * percent-encoded). Dataverse does not accept / < > * % & : \ ? + in
 * key values used in a URL: for such values look the row up with a
 * $filter and write it by its id instead. */
char              *cc_dataverse_client_build_key_path (const char         *entity_set,
                                                       const char * const *keys,
                                                       const char * const *values);

/* The id in an OData-EntityId / entity URL: ".../contacts(<guid>)" → guid. */
char              *cc_dataverse_client_parse_entity_id (const char        *entity_url);
/* Whether @text is a GUID as Dataverse writes row ids
 * ("0f8fad5b-d9cb-469f-a165-70867728950e"); NULL is not. */
gboolean           cc_dataverse_is_guid                (const char        *text);

G_END_DECLS
