/* cc-campaign-private.h — what the files of the Campaign emulator share:
 * the server's state, the resource schemas, the record store, the event
 * journal and the helpers that answer a request the way Adobe's gateway
 * and Campaign do.
 *
 * Everything here runs on the sandbox thread only, so nothing is locked.
 */
#pragma once

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "cc-campaign-server.h"

G_BEGIN_DECLS

/* libsoup interns request methods but has no macro for PATCH. */
#define CC_CAMPAIGN_METHOD_PATCH (g_intern_static_string ("PATCH"))

/* Campaign and the gateway answer JSON in UTF-8 and say so. */
#define CC_CAMPAIGN_CONTENT_TYPE "application/json;charset=utf-8"

/* Errors of the emulator carry the HTTP status they are answered with as
 * their code, so a validation failure deep in the store travels up to the
 * handler unchanged. The sandbox does not link the engine, hence its own
 * domain rather than CC_ERROR. */
#define CC_CAMPAIGN_ERROR (cc_campaign_error_quark ())
GQuark cc_campaign_error_quark (void);

/* ---- Schemas (cc-campaign-schema.c) ---------------------------------- */

typedef enum
{
  CC_CAMPAIGN_FIELD_STRING,
  CC_CAMPAIGN_FIELD_EMAIL,        /* a string under the "email" data policy */
  CC_CAMPAIGN_FIELD_DATE,         /* "1980-10-24" */
  CC_CAMPAIGN_FIELD_DATETIME,     /* "2019-09-25 23:20:35.000Z" */
  CC_CAMPAIGN_FIELD_BOOLEAN,
  CC_CAMPAIGN_FIELD_ENUMERATION,
} CcCampaignFieldType;

typedef enum
{
  CC_CAMPAIGN_FIELD_READ_ONLY = 1 << 0,  /* PATCH answers 500 */
  CC_CAMPAIGN_FIELD_EXT_ONLY  = 1 << 1,  /* a custom field: only in the Ext view */
  CC_CAMPAIGN_FIELD_KEY       = 1 << 2,  /* the custom key: unique, cannot change */
} CcCampaignFieldFlags;

typedef struct
{
  const char          *name;
  const char          *label;
  CcCampaignFieldType  type;
  guint                length;        /* strings: the most characters accepted */
  CcCampaignFieldFlags flags;
  const char          *old_name;      /* also accepted on write (blackList*) */
  const char * const  *values;        /* enumerations: the accepted values */
} CcCampaignField;

typedef struct _CcCampaignRecord CcCampaignRecord;

/* A filter's parameter, ready for matching many records. */
typedef struct
{
  const char *value;
  char       *folded;     /* case-folded value, for text searches */
  gint64      time_ms;    /* parsed value, for date-time filters */
} CcCampaignFilterArg;

/* A built-in or custom filter: the by<Name> path element and the query
 * parameter it reads. */
typedef struct
{
  const char *name;
  const char *label;
  const char *param;
  gboolean    ext_only;           /* custom filters live in the Ext view */
  gboolean    is_time;            /* the parameter is a date-time */
  gboolean  (*match)             (const CcCampaignRecord    *record,
                                  const CcCampaignFilterArg *arg);
} CcCampaignFilter;

/* Fills @arg from the query value; 400 when it cannot be read. */
gboolean cc_campaign_filter_prepare   (const CcCampaignFilter *filter,
                                       const char             *value,
                                       CcCampaignFilterArg    *arg,
                                       GError                **error);
void     cc_campaign_filter_arg_clear (CcCampaignFilterArg    *arg);

typedef struct
{
  const char             *name;       /* "profile", "cusMembership" */
  const char             *label;
  const char             *help;
  const char             *schema;     /* the Campaign schema behind it */
  const CcCampaignField  *fields;
  guint                   n_fields;
  const char             *key;        /* the custom key field, NULL if none */
  const CcCampaignFilter *filters;
  guint                   n_filters;
} CcCampaignResource;

extern const CcCampaignResource cc_campaign_profile_resource;
extern const CcCampaignResource cc_campaign_membership_resource;

const CcCampaignField  *cc_campaign_resource_find_field  (const CcCampaignResource *resource,
                                                          const char               *name,
                                                          gboolean                  ext_view);
const CcCampaignFilter *cc_campaign_resource_find_filter (const CcCampaignResource *resource,
                                                          const char               *name,
                                                          gboolean                  ext_view);
/* The documented resourceType answer for @resource seen through
 * @namespace ("profileAndServices", "profileAndServicesExt",
 * "customResources"). */
JsonNode               *cc_campaign_resource_metadata    (const CcCampaignResource *resource,
                                                          const char               *api_base,
                                                          const char               *namespace_,
                                                          gboolean                  ext_view);
JsonNode               *cc_campaign_resource_filters_json (const CcCampaignResource *resource,
                                                           const char               *api_base,
                                                           const char               *namespace_,
                                                           gboolean                  ext_view);

/* ---- Records (cc-campaign-store.c) ----------------------------------- */

struct _CcCampaignRecord
{
  char          *pkey;
  JsonObject    *values;       /* every writable field, defaults filled in */
  gint64         created_ms;   /* wall-clock milliseconds since the epoch */
  gint64         modified_ms;
  guint64        serial;       /* insertion order, breaks ties when sorting */
  GSequenceIter *iter;
};

typedef struct _CcCampaignTable CcCampaignTable;

CcCampaignTable  *cc_campaign_table_new      (const CcCampaignResource *resource);
void              cc_campaign_table_free     (CcCampaignTable          *table);
const CcCampaignResource *cc_campaign_table_get_resource (CcCampaignTable *table);
guint             cc_campaign_table_get_size (CcCampaignTable          *table);
/* By PKey, or by the custom key when @by_key is set. */
CcCampaignRecord *cc_campaign_table_lookup   (CcCampaignTable          *table,
                                              const char               *id,
                                              gboolean                  by_key);
CcCampaignRecord *cc_campaign_table_lookup_key (CcCampaignTable        *table,
                                                const char             *key);
/* The record at @position in insertion order, NULL past the end. */
CcCampaignRecord *cc_campaign_table_nth      (CcCampaignTable          *table,
                                              guint                     position);
/* Calls @func on every record in insertion order. */
void              cc_campaign_table_foreach  (CcCampaignTable          *table,
                                              GFunc                     func,
                                              gpointer                  user_data);

/* Validates @body (as a writer seen through the Ext view or not) and
 * stores a new record. Errors: 400 invalid, 409 duplicate key, 500 read-only. */
CcCampaignRecord *cc_campaign_table_insert   (CcCampaignTable          *table,
                                              JsonObject               *body,
                                              gboolean                  ext_view,
                                              GError                  **error);
/* Validates @body and applies it to @record; nothing changes on error. */
gboolean          cc_campaign_table_update   (CcCampaignTable          *table,
                                              CcCampaignRecord         *record,
                                              JsonObject               *body,
                                              gboolean                  ext_view,
                                              GError                  **error);
void              cc_campaign_table_remove   (CcCampaignTable          *table,
                                              CcCampaignRecord         *record);

const char       *cc_campaign_record_get_string (const CcCampaignRecord *record,
                                                 const char             *field);
/* Adds the record as its view shows it to @builder (an object with PKey,
 * the fields, created, lastModified and href). */
void              cc_campaign_record_build   (const CcCampaignRecord   *record,
                                              const CcCampaignResource *resource,
                                              gboolean                  ext_view,
                                              const char               *collection_href,
                                              JsonBuilder              *builder);
char             *cc_campaign_format_time    (gint64                    ms);
/* Parses "2019-09-25 23:20:35.000Z", ISO 8601 or a bare date (UTC). */
gboolean          cc_campaign_parse_time     (const char               *text,
                                              gint64                   *out_ms);
gint64            cc_campaign_now_ms         (void);

/* ---- Journal (cc-campaign-journal.c) --------------------------------- */

typedef struct _CcCampaignJournal CcCampaignJournal;

CcCampaignJournal *cc_campaign_journal_new      (guint64            seed,
                                                 guint              n_events,
                                                 guint              n_contacts);
void               cc_campaign_journal_free     (CcCampaignJournal *journal);
guint              cc_campaign_journal_get_size (CcCampaignJournal *journal);
/* Takes a reference on @event. */
void               cc_campaign_journal_append   (CcCampaignJournal *journal,
                                                 JsonObject        *event);
void               cc_campaign_journal_generate (CcCampaignJournal *journal,
                                                 guint              n_events);
/* The event at @index (a new reference). */
JsonObject        *cc_campaign_journal_get      (CcCampaignJournal *journal,
                                                 guint              index);
/* The journal indexes of the events of one profile, oldest first. */
GArray            *cc_campaign_journal_for_profile (CcCampaignJournal *journal,
                                                    const char        *external_id);
char              *cc_campaign_journal_encode_position (guint           index);

/* ---- The server (cc-campaign-server.c) ------------------------------- */

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
} CcCampaignStats;

struct _CcCampaignServer
{
  SoupServer        *server;
  CcSandboxFaults   *faults;
  char              *base_url;     /* http://127.0.0.1:PORT */
  char              *api_base;     /* <base_url>/<org>/campaign */
  guint              token_lifetime_s;

  GHashTable        *tokens;       /* access token → gint64 expiry (monotonic µs) */
  CcCampaignTable   *profiles;
  CcCampaignTable   *memberships;
  CcCampaignJournal *journal;
  guint              big_table_threshold;

  CcCampaignStats    stats;
};

/* The request's query, in order, decoded; lookups find the last value. */
typedef struct
{
  GPtrArray *names;
  GPtrArray *values;
} CcCampaignQuery;

CcCampaignQuery *cc_campaign_query_parse  (const char       *raw);
void             cc_campaign_query_free   (CcCampaignQuery  *query);
const char      *cc_campaign_query_get    (CcCampaignQuery  *query,
                                           const char       *name);
/* The query again, encoded, with @name set to @value (appended when absent,
 * dropped when @value is NULL). */
char            *cc_campaign_query_build  (CcCampaignQuery  *query,
                                           const char       *name,
                                           const char       *value);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CcCampaignQuery, cc_campaign_query_free)

void cc_campaign_answer_json    (SoupServerMessage *msg,
                                 guint              status,
                                 JsonNode          *root);
void cc_campaign_answer_builder (SoupServerMessage *msg,
                                 guint              status,
                                 JsonBuilder       *builder);
/* Campaign's own error shape: {"code":N,"message":"..."}. */
void cc_campaign_answer_error   (SoupServerMessage *msg,
                                 guint              status,
                                 const char        *message);
void cc_campaign_answer_gerror  (SoupServerMessage *msg,
                                 const GError      *error);
/* Parses the request body as a JSON object; answers 400 and returns NULL
 * when it is not one. */
JsonObject *cc_campaign_read_body_object (SoupServerMessage *msg);

/* Handlers of the parts of the API (each in its own file). */
void cc_campaign_handle_api     (CcCampaignServer  *self,
                                 SoupServerMessage *msg,
                                 char             **segments,
                                 CcCampaignQuery   *query);
void cc_campaign_handle_journal (CcCampaignServer  *self,
                                 SoupServerMessage *msg,
                                 CcCampaignQuery   *query);
void cc_campaign_handle_history (CcCampaignServer  *self,
                                 SoupServerMessage *msg,
                                 const char        *namespace_,
                                 char             **segments,
                                 CcCampaignQuery   *query);
void cc_campaign_handle_admin   (CcCampaignServer  *self,
                                 SoupServerMessage *msg,
                                 char             **segments);

G_END_DECLS
