/* acs-private.h — what the files of the Campaign emulator share:
 * the server's state, the resource schemas, the record store, the event
 * journal and the helpers that answer a request the way Adobe's gateway
 * and Campaign do.
 *
 * Everything here runs on the sandbox thread only, so nothing is locked.
 */
#pragma once

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "acs-server.h"

G_BEGIN_DECLS

/* libsoup interns request methods but has no macro for PATCH. */
#define ACS_METHOD_PATCH (g_intern_static_string ("PATCH"))

/* Campaign and the gateway answer JSON in UTF-8 and say so. */
#define ACS_CONTENT_TYPE "application/json;charset=utf-8"

/* Errors of the emulator carry the HTTP status they are answered with as
 * their code, so a validation failure deep in the store travels up to the
 * handler unchanged. The sandbox does not link the engine, hence its own
 * domain rather than CC_ERROR. */
#define ACS_ERROR (acs_error_quark ())
GQuark acs_error_quark (void);

/* ---- Schemas (acs-schema.c) ---------------------------------- */

typedef enum
{
  ACS_FIELD_STRING,
  ACS_FIELD_EMAIL,        /* a string under the "email" data policy */
  ACS_FIELD_DATE,         /* "1980-10-24" */
  ACS_FIELD_DATETIME,     /* "2019-09-25 23:20:35.000Z" */
  ACS_FIELD_BOOLEAN,
  ACS_FIELD_ENUMERATION,
  ACS_FIELD_LINK,         /* {"PKey": ...} of a record of another resource */
} AcsFieldType;

typedef enum
{
  ACS_FIELD_READ_ONLY = 1 << 0,  /* PATCH answers 500 */
  ACS_FIELD_EXT_ONLY  = 1 << 1,  /* a custom field: only in the Ext view */
  ACS_FIELD_KEY       = 1 << 2,  /* the custom key: unique, cannot change */
} AcsFieldFlags;

typedef struct
{
  const char          *name;
  const char          *label;
  AcsFieldType  type;
  guint                length;        /* strings: the most characters accepted */
  AcsFieldFlags flags;
  const char          *old_name;      /* also accepted on write (blackList*) */
  const char * const  *values;        /* enumerations: the accepted values */
  const char          *link_target;   /* links: the resource linked to */
} AcsField;

typedef struct _AcsRecord AcsRecord;
typedef struct _AcsTable AcsTable;

/* A filter's parameter, ready for matching many records. */
typedef struct
{
  const char *value;
  char       *folded;     /* case-folded value, for text searches */
  gint64      time_ms;    /* parsed value, for date-time filters */
} AcsFilterArg;

/* A built-in or custom filter: the by<Name> path element and the query
 * parameter it reads. */
typedef struct
{
  const char *name;
  const char *label;
  const char *param;
  gboolean    ext_only;           /* custom filters live in the Ext view */
  gboolean    is_time;            /* the parameter is a date-time */
  gboolean  (*match)             (const AcsRecord    *record,
                                  const AcsFilterArg *arg);
} AcsFilter;

/* Fills @arg from the query value; 400 when it cannot be read. */
gboolean acs_filter_prepare   (const AcsFilter *filter,
                                       const char             *value,
                                       AcsFilterArg    *arg,
                                       GError                **error);
void     acs_filter_arg_clear (AcsFilterArg    *arg);

/* A resource as one emulated instance has it: a copy of the built-in
 * definition, which the setup left out (cc-sandbox-setup.h) trims. */
typedef struct
{
  const char *name;       /* "profile", "cusMembership" */
  const char *label;
  const char *help;
  const char *schema;     /* the Campaign schema behind it */
  AcsField   *fields;
  guint       n_fields;
  const char *key;        /* the identification key's field, NULL if none */
  AcsFilter  *filters;
  guint       n_filters;
  /* Where the API serves it: "customResources" for a custom resource not
   * linked to the profile, "profileAndServicesExt" for one linked to it
   * (and never both, as Adobe documents); the profile is in
   * profileAndServices and its Ext view. */
  const char *home;
  gboolean    is_profile;
} AcsResource;

#define ACS_PROFILE "profile"

/* Every resource of the emulated instance, the profile first. */
GPtrArray              *acs_resources_new        (void);
void                    acs_resource_free        (AcsResource *resource);
/* Leaves one piece of the setup out; FALSE when the resource has no such
 * field or filter. Dropping the key keeps its field, no longer unique. */
gboolean                acs_resource_remove_field  (AcsResource *resource,
                                                    const char  *name);
gboolean                acs_resource_remove_filter (AcsResource *resource,
                                                    const char  *name);
void                    acs_resource_drop_key      (AcsResource *resource);
/* The filters a customer defines on the profile's extension
 * (byExternalId, byLastModifiedSince); how many were removed. */
guint                   acs_resource_remove_custom_filters (AcsResource *resource);

const AcsField  *acs_resource_find_field  (const AcsResource *resource,
                                           const char        *name,
                                           gboolean           ext_view);
const AcsFilter *acs_resource_find_filter (const AcsResource *resource,
                                           const char        *name,
                                           gboolean           ext_view);
/* The documented resourceType answer for @resource seen through
 * @namespace ("profileAndServices", "profileAndServicesExt",
 * "customResources"). */
/* (@table: the admin's changes to the schema; may be NULL.) */
JsonNode               *acs_resource_metadata    (AcsTable          *table,
                                                          const AcsResource *resource,
                                                          const char               *api_base,
                                                          const char               *namespace_,
                                                          gboolean                  ext_view);
JsonNode               *acs_resource_filters_json (const AcsResource *resource,
                                                           const char               *api_base,
                                                           const char               *namespace_,
                                                           gboolean                  ext_view);
/* GET profileAndServicesExt: the custom resources linked to the profile. */
JsonNode               *acs_linked_resources_json (const char *api_base,
                                                   GPtrArray  *resources);

/* ---- Records (acs-store.c) ----------------------------------- */

/* A change an admin made to a resource's schema while the emulator runs
 * (the admin API's /_sandbox/schema/), as a customer does in Campaign's
 * UI: a field taken out of the resource, or made read-only. */
typedef enum
{
  ACS_SCHEMA_AS_DEFINED,
  ACS_SCHEMA_REMOVED,     /* gone from the metadata and the records; writes refused */
  ACS_SCHEMA_READ_ONLY,   /* a write answers 500, as for any read-only field */
} AcsSchemaChange;

struct _AcsRecord
{
  char          *pkey;
  JsonObject    *values;       /* every writable field, defaults filled in */
  gint64         created_ms;   /* wall-clock milliseconds since the epoch */
  gint64         modified_ms;
  guint64        serial;       /* insertion order, breaks ties when sorting */
  GSequenceIter *iter;
};


AcsTable  *acs_table_new      (const AcsResource *resource);
void              acs_table_free     (AcsTable          *table);
const AcsResource *acs_table_get_resource (AcsTable *table);
guint             acs_table_get_size (AcsTable          *table);
/* By PKey, or by the custom key when @by_key is set. */
AcsRecord *acs_table_lookup   (AcsTable          *table,
                                              const char               *id,
                                              gboolean                  by_key);
AcsRecord *acs_table_lookup_key (AcsTable        *table,
                                                const char             *key);
/* The record at @position in insertion order, NULL past the end. */
AcsRecord *acs_table_nth      (AcsTable          *table,
                                              guint                     position);
/* Calls @func on every record in insertion order. */
void              acs_table_foreach  (AcsTable          *table,
                                              GFunc                     func,
                                              gpointer                  user_data);

/* Changes field @name of the table's resource; FALSE when it has no such
 * field, or it is the PKey or the custom key (they cannot change). */
gboolean        acs_table_change_field (AcsTable        *table,
                                        const char      *name,
                                        AcsSchemaChange  change);
/* What an admin made of @field (NULL @table: as defined). */
AcsSchemaChange acs_table_field_change (AcsTable        *table,
                                        const AcsField  *field);

/* Validates @body (as a writer seen through the Ext view or not) and
 * stores a new record. Errors: 400 invalid, 409 duplicate key, 500 read-only. */
AcsRecord *acs_table_insert   (AcsTable          *table,
                                              JsonObject               *body,
                                              gboolean                  ext_view,
                                              GError                  **error);
/* Validates @body and applies it to @record; nothing changes on error. */
gboolean          acs_table_update   (AcsTable          *table,
                                              AcsRecord         *record,
                                              JsonObject               *body,
                                              gboolean                  ext_view,
                                              GError                  **error);
void              acs_table_remove   (AcsTable          *table,
                                              AcsRecord         *record);

const char       *acs_record_get_string (const AcsRecord *record,
                                                 const char             *field);
/* Adds the record of @table as its view shows it to @builder (an object
 * with PKey, the fields, created, lastModified and href). */
void              acs_record_build   (AcsTable          *table,
                                      const AcsRecord   *record,
                                      gboolean           ext_view,
                                      const char        *collection_href,
                                      JsonBuilder       *builder);
/* Makes the link field @field of @table point at the records of @target,
 * whose collection is at @target_href. */
void              acs_table_link     (AcsTable          *table,
                                      const char        *field,
                                      AcsTable          *target,
                                      const char        *target_href);
char             *acs_format_time    (gint64                    ms);
/* Parses "2019-09-25 23:20:35.000Z", ISO 8601 or a bare date (UTC). */
gboolean          acs_parse_time     (const char               *text,
                                              gint64                   *out_ms);
gint64            acs_now_ms         (void);

/* ---- Journal (acs-journal.c) --------------------------------- */

typedef struct _AcsJournal AcsJournal;

AcsJournal *acs_journal_new      (guint64            seed,
                                                 guint              n_events,
                                                 guint              n_contacts);
void               acs_journal_free     (AcsJournal *journal);
guint              acs_journal_get_size (AcsJournal *journal);
/* Takes a reference on @event. */
void               acs_journal_append   (AcsJournal *journal,
                                                 JsonObject        *event);
void               acs_journal_generate (AcsJournal *journal,
                                                 guint              n_events);
/* The event at @index (a new reference). */
JsonObject        *acs_journal_get      (AcsJournal *journal,
                                                 guint              index);
/* The journal indexes of the sends to one profile, oldest first; NULL
 * when there are none. */
GArray            *acs_journal_sends_of_profile (AcsJournal *journal,
                                                 const char *external_id);
char              *acs_journal_encode_position (guint           index);

/* ---- The server (acs-server.c) ------------------------------- */

typedef struct
{
  guint64 total;
  guint64 token;
  guint64 get;
  guint64 post;
  guint64 patch;
  guint64 delete_;
  guint64 journal;
  guint64 throttled;
  guint64 faulted;
  guint64 line_starts_followed;   /* pages asked for with a _lineStart we computed */
  guint64 line_starts_refused;    /* ... with one we did not */
} AcsStats;

struct _AcsServer
{
  SoupServer        *server;
  CcSandboxFaults   *faults;
  char              *base_url;     /* http://127.0.0.1:PORT */
  char              *api_base;     /* <base_url>/<org>/campaign */
  guint              token_lifetime_s;

  GHashTable        *tokens;       /* access token → gint64 expiry (monotonic µs) */
  GPtrArray  *resources;       /* AcsResource*, owned; the profile first */
  AcsTable   *profiles;
  GHashTable *custom_tables;   /* custom resource name → AcsTable */
  AcsJournal *journal;
  guint              big_table_threshold;
  guint8             line_start_key[32];   /* MAC key of _lineStart tokens */
  /* How a create or update that would duplicate a key is answered: the
   * notes only say "an error" (INFER), so tests choose. */
  guint              duplicate_status;
  char              *duplicate_message;    /* NULL: the emulator's own words */
  /* Whether a resource's metadata names its custom key ("key"): INFER,
   * Adobe's documented metadata has no such member. */
  gboolean           metadata_keys;

  AcsStats    stats;
  /* When each call of the Campaign API arrived (monotonic µs, in order):
   * a customer's contract caps them per second and per day. */
  GArray            *call_times;
  guint              calls_in_flight;   /* answered not yet */
  guint              most_in_flight;
};

/* The request's query, in order, decoded; lookups find the last value. */
typedef struct
{
  GPtrArray *names;
  GPtrArray *values;
} AcsQuery;

AcsQuery *acs_query_parse  (const char       *raw);
void             acs_query_free   (AcsQuery  *query);
const char      *acs_query_get    (AcsQuery  *query,
                                           const char       *name);
/* The query again, encoded, with @name set to @value (appended when absent,
 * dropped when @value is NULL). */
char            *acs_query_build  (AcsQuery  *query,
                                           const char       *name,
                                           const char       *value);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (AcsQuery, acs_query_free)

void acs_answer_json    (SoupServerMessage *msg,
                                 guint              status,
                                 JsonNode          *root);
void acs_answer_builder (SoupServerMessage *msg,
                                 guint              status,
                                 JsonBuilder       *builder);
/* Campaign's own error shape: {"code":N,"message":"..."}. */
void acs_answer_error   (SoupServerMessage *msg,
                                 guint              status,
                                 const char        *message);
void acs_answer_gerror  (SoupServerMessage *msg,
                                 const GError      *error);
/* Parses the request body as a JSON object; answers 400 and returns NULL
 * when it is not one. */
JsonObject *acs_read_body_object (SoupServerMessage *msg);

/* A key the store refused as a duplicate, answered the way the settings
 * say; any other error as acs_answer_gerror() does. */
void acs_answer_write_error (AcsServer         *self,
                             SoupServerMessage *msg,
                             const GError      *error);

/* URL-safe base64 without padding, for opaque tokens and keys. */
char   *acs_base64url_encode (const guint8 *data,
                              gsize         len);
/* NULL when @text is not URL-safe base64. */
guint8 *acs_base64url_decode (const char   *text,
                              gsize        *out_len);
/* @prefix followed by @n_bytes random bytes in URL-safe base64. */
char   *acs_random_string    (const char   *prefix,
                              gsize         n_bytes);

/* ---- Paging (acs-paging.c) ----------------------------------- */

typedef struct
{
  guint64 start;   /* the first line of the page */
  guint64 lines;   /* how many lines at most */
} AcsPage;

void     acs_paging_init_key  (AcsServer   *self,
                               guint64      seed);
/* Reads _lineStart (an opaque token this server computed for the list at
 * @list_href and its query, else 400) and _lineCount. */
gboolean acs_paging_read      (AcsServer   *self,
                               const char  *list_href,
                               AcsQuery    *query,
                               guint        default_lines,
                               guint        max_lines,
                               AcsPage     *page,
                               GError     **error);
/* The next.href of the list at @list_href: its query with a _lineStart
 * token for @next_start. */
char    *acs_paging_next_href (AcsServer   *self,
                               const char  *list_href,
                               AcsQuery    *query,
                               guint64      next_start);

/* Handlers of the parts of the API (each in its own file). */
void acs_handle_api     (AcsServer  *self,
                                 SoupServerMessage *msg,
                                 char             **segments,
                                 AcsQuery   *query);
void acs_handle_journal (AcsServer  *self,
                                 SoupServerMessage *msg,
                                 AcsQuery   *query);
void acs_handle_history (AcsServer  *self,
                                 SoupServerMessage *msg,
                                 const char        *namespace_,
                                 char             **segments,
                                 AcsQuery   *query);
void acs_handle_admin   (AcsServer  *self,
                                 SoupServerMessage *msg,
                                 char             **segments);

G_END_DECLS
