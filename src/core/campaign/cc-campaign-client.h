/* cc-campaign-client.h — Adobe Campaign Standard REST API.
 *
 * A CcCampaignClient talks to <api-url>/<org>/campaign/ with a token from
 * Adobe IMS, and reads the email-event journal (Adobe I/O Events). Every
 * call carries Authorization: Bearer, X-Api-Key, Content-Type
 * application/json and Cache-Control: no-cache. It owns a CcHttp, so it
 * belongs to the thread that created it: each engine worker makes its own.
 * Its calls block, but for the record calls, which also come as
 * asynchronous requests.
 *
 * Error rules: transport trouble, 429 and gateway errors (502, 503, 504)
 * are retried inside and end as CC_ERROR_TRANSIENT; refused credentials
 * are CC_ERROR_AUTH_FAILED; unknown resources are CC_ERROR_SCHEMA. Record
 * writes return a CcCampaignResult with the HTTP status and the server's
 * message. Campaign answers some permanent rejections with 500 (PATCH of
 * a read-only field: "Cannot update the 'x' property that is read-only"),
 * so a 500 that carries a JSON message is a rejection, returned as a
 * result and not retried; a 500 without one is retried like any 5xx.
 *
 * Every call of the Campaign API (records, lists, metadata, the marketing
 * history) takes a slot of the connection's API allowance first, when the
 * settings give one (cc-rate-limiter.h); the journal and IMS do not.
 */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "cc-http.h"
#include "cc-rate-limiter.h"
#include "cc-token-source.h"

G_BEGIN_DECLS

#define CC_CAMPAIGN_DEFAULT_API_URL "https://mc.adobe.io"

typedef struct
{
  const char *org;          /* organization (instance) id */
  const char *api_key;      /* = the IMS client id */
  const char *api_url;      /* NULL/"" = CC_CAMPAIGN_DEFAULT_API_URL */
  const char *ims_url;      /* NULL/"" = CC_IMS_DEFAULT_URL */
  const char *ims_scope;    /* NULL/"" = CC_IMS_DEFAULT_SCOPE */
  const char *journal_url;  /* the I/O Events journal; may be NULL */
  const char *secret;       /* the client secret (copied, never logged) */
  guint       max_conns;    /* 0 = CcHttp's default */
  /* The connection's API allowance (a reference is kept; NULL: none):
   * every call of the Campaign API takes a slot of it, as
   * cc_rate_limiter_acquire() with @limiter_tag and @wait_for_budget.
   * Adobe IMS and the I/O Events journal are other services, with limits
   * of their own: their calls do not count. */
  CcRateLimiter *limiter;
  const char    *limiter_tag;
  gboolean       wait_for_budget;
} CcCampaignSettings;

/* ------------------------------------------------------------------ */
/* Schema                                                              */

typedef struct
{
  char     *name;       /* apiName, used in JSON bodies */
  char     *label;      /* may be NULL */
  char     *type;       /* "string", "boolean", "date", "datetime", "long",
                         * "enumeration", "link", … */
  int       length;     /* strings; -1 when not given */
  gboolean  read_only;
  char     *target;     /* links: the resource linked to (resTarget), else NULL */
} CcCampaignField;

typedef struct
{
  char      *resource;    /* as asked, e.g. "profileAndServicesExt/profile" */
  char      *name;
  char      *label;       /* may be NULL */
  GPtrArray *fields;      /* CcCampaignField* */
  char      *filters_url; /* where its filters are described; may be NULL */
  GStrv      keys;        /* the fields its records are identified by besides
                           * the PKey, as far as the metadata says (empty: none);
                           * NULL when the metadata does not say */
} CcCampaignResourceType;

typedef struct
{
  char *name;             /* "byExternalId" */
  GStrv parameters;       /* the query parameters it reads ("externalId") */
} CcCampaignFilter;

void                    cc_campaign_filter_free  (CcCampaignFilter *filter);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CcCampaignFilter, cc_campaign_filter_free)
/* The filter of @filters (CcCampaignFilter*) named @name, or NULL. */
const CcCampaignFilter *cc_campaign_filters_find (GPtrArray  *filters,
                                                  const char *name);

void                   cc_campaign_resource_type_free       (CcCampaignResourceType *type);
const CcCampaignField *cc_campaign_resource_type_find_field (const CcCampaignResourceType *type,
                                                             const char                   *name);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CcCampaignResourceType, cc_campaign_resource_type_free)

/* ------------------------------------------------------------------ */
/* Results and pages                                                   */

typedef struct
{
  guint       status;    /* HTTP status */
  char       *message;   /* the server's message on a rejection, else NULL */
  JsonObject *record;    /* the record (create, find, get), or NULL */
  char       *pkey;      /* the record's PKey when known, else NULL */
} CcCampaignResult;

void      cc_campaign_result_free       (CcCampaignResult *result);
gboolean  cc_campaign_result_is_success (const CcCampaignResult *result);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CcCampaignResult, cc_campaign_result_free)

typedef struct
{
  GPtrArray *records;    /* JsonObject* */
  char      *next_url;   /* next.href, absolute; NULL on the last page */
} CcCampaignPage;

void cc_campaign_page_free (CcCampaignPage *page);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CcCampaignPage, cc_campaign_page_free)

typedef struct
{
  char       *position;  /* opaque journal position of this event */
  JsonObject *event;     /* the event payload as sent */
} CcCampaignJournalEvent;

typedef struct
{
  GPtrArray *events;     /* CcCampaignJournalEvent*, oldest first; empty on 204 */
  char      *next_url;   /* from Link: <…>; rel="next"; if absent, the URL
                          * to ask again (same position) */
  char      *last_position; /* _page.last, or the last event's position; may be NULL */
} CcCampaignJournalPage;

void cc_campaign_journal_page_free (CcCampaignJournalPage *page);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CcCampaignJournalPage, cc_campaign_journal_page_free)

/* ------------------------------------------------------------------ */
/* The client                                                          */

#define CC_TYPE_CAMPAIGN_CLIENT (cc_campaign_client_get_type ())
G_DECLARE_FINAL_TYPE (CcCampaignClient, cc_campaign_client, CC, CAMPAIGN_CLIENT, GObject)

CcCampaignClient *cc_campaign_client_new      (const CcCampaignSettings *settings);
CcHttp           *cc_campaign_client_get_http (CcCampaignClient *self);
CcTokenSource    *cc_campaign_client_get_token_source (CcCampaignClient *self);
/* "<api-url>/<org>/campaign/" */
const char       *cc_campaign_client_get_base_url (CcCampaignClient *self);

gboolean          cc_campaign_client_authenticate (CcCampaignClient  *self,
                                                   GCancellable      *cancellable,
                                                   GError           **error);

/* GET <resource's group>/resourceType/<name>, e.g. for
 * "profileAndServicesExt/profile" or "customResources/cusMembership".
 * Unknown resource → CC_ERROR_SCHEMA. */
CcCampaignResourceType *cc_campaign_client_get_resource_type (CcCampaignClient  *self,
                                                              const char        *resource,
                                                              GCancellable      *cancellable,
                                                              GError           **error);

/* The filters of @type (GET its filters link): CcCampaignFilter*, the
 * built-in ones and those the customer defined and published. */
GPtrArray              *cc_campaign_client_get_filters       (CcCampaignClient              *self,
                                                              const CcCampaignResourceType  *type,
                                                              GCancellable                  *cancellable,
                                                              GError                       **error);

/* Finds one record by key. With @filter (e.g. "byExternalId"):
 * GET <resource>/<filter>?<param>=<value>, first match; without:
 * GET <resource>/<value> (a custom key, or a PKey). A missing record is a
 * result with status 404 (or 200 and an empty list) and record NULL. */
CcCampaignResult *cc_campaign_client_find   (CcCampaignClient  *self,
                                             const char        *resource,
                                             const char        *filter,
                                             const char        *param,
                                             const char        *value,
                                             GCancellable      *cancellable,
                                             GError           **error);
/* POST <resource> → the created record (with PKey). A duplicate key and a
 * value Campaign refuses are rejections (4xx result). Not repeatable: once
 * Campaign may have received it, it is not sent again; when its answer is
 * lost it fails with CC_ERROR_TRANSIENT, and the caller looks the record
 * up by key before it creates it again. */
CcCampaignResult *cc_campaign_client_create (CcCampaignClient  *self,
                                             const char        *resource,
                                             JsonObject        *record,
                                             GCancellable      *cancellable,
                                             GError           **error);
/* PATCH <resource>/<key> (a PKey or custom key) with the changed fields. */
CcCampaignResult *cc_campaign_client_patch  (CcCampaignClient  *self,
                                             const char        *resource,
                                             const char        *key,
                                             JsonObject        *fields,
                                             GCancellable      *cancellable,
                                             GError           **error);
/* DELETE <resource>/<key>. */
CcCampaignResult *cc_campaign_client_delete (CcCampaignClient  *self,
                                             const char        *resource,
                                             const char        *key,
                                             GCancellable      *cancellable,
                                             GError           **error);

/* The four calls above as asynchronous requests on the thread-default
 * main context (cc_http_send_async()): a writer keeps many of them in
 * flight on one thread. Each ends with cc_campaign_client_record_finish(),
 * with what the blocking call would have returned, but that a create's
 * result holds the new record's PKey and not the record (its answer is
 * not parsed in full: the writers want only the PKey). The allowance's
 * slot is waited for without blocking. */
void              cc_campaign_client_find_async   (CcCampaignClient    *self,
                                                   const char          *resource,
                                                   const char          *filter,
                                                   const char          *param,
                                                   const char          *value,
                                                   GCancellable        *cancellable,
                                                   GAsyncReadyCallback  callback,
                                                   gpointer             user_data);
void              cc_campaign_client_create_async (CcCampaignClient    *self,
                                                   const char          *resource,
                                                   JsonObject          *record,
                                                   GCancellable        *cancellable,
                                                   GAsyncReadyCallback  callback,
                                                   gpointer             user_data);
/* As cc_campaign_client_create_async(), with the record as JSON text that
 * goes out as it is (a record queued as JSON need not be read to be sent). */
void              cc_campaign_client_create_json_async (CcCampaignClient    *self,
                                                        const char          *resource,
                                                        const char          *json,
                                                        GCancellable        *cancellable,
                                                        GAsyncReadyCallback  callback,
                                                        gpointer             user_data);
void              cc_campaign_client_patch_async  (CcCampaignClient    *self,
                                                   const char          *resource,
                                                   const char          *key,
                                                   JsonObject          *fields,
                                                   GCancellable        *cancellable,
                                                   GAsyncReadyCallback  callback,
                                                   gpointer             user_data);
void              cc_campaign_client_delete_async (CcCampaignClient    *self,
                                                   const char          *resource,
                                                   const char          *key,
                                                   GCancellable        *cancellable,
                                                   GAsyncReadyCallback  callback,
                                                   gpointer             user_data);
CcCampaignResult *cc_campaign_client_record_finish (CcCampaignClient   *self,
                                                    GAsyncResult       *result,
                                                    GError            **error);

/* The first page URL: <base><resource>[/<filter_path>]?[<filter_query>&]
 * _lineCount=N[&_order=…]&_forcePagination=true.
 * @filter_path e.g. "byLastModifiedSince" (NULL = none); @filter_params a
 * NULL-terminated name, value, name, value… list (values percent-encoded
 * here; may be NULL); @order e.g. "lastModified" or "lastModified desc"
 * (NULL = none); @line_count 0 = 25. */
char             *cc_campaign_client_build_list_url (CcCampaignClient   *self,
                                                     const char         *resource,
                                                     const char         *filter_path,
                                                     const char * const *filter_params,
                                                     const char         *order,
                                                     guint               line_count);
/* GETs a list page (the first URL or a next.href, verbatim). */
CcCampaignPage   *cc_campaign_client_read_page (CcCampaignClient  *self,
                                                const char        *url,
                                                GCancellable      *cancellable,
                                                GError           **error);

/* The journal URL for a position: <journal-url>[?since=<position>][&limit=N]
 * (@since NULL = from the oldest retained event; @limit 0 = server default). */
char             *cc_campaign_client_build_journal_url (CcCampaignClient *self,
                                                        const char       *since,
                                                        guint             limit);
/* Reads one journal page at @url (from build_journal_url or a previous
 * page's next_url, verbatim). 204 = an empty page whose next_url asks
 * for the same position again. A position the journal refuses (400, 410:
 * past its retention or not its own) → CC_ERROR_EXPIRED_CURSOR: start
 * again from the oldest retained event. */
CcCampaignJournalPage *cc_campaign_client_read_journal (CcCampaignClient  *self,
                                                        const char        *url,
                                                        GCancellable      *cancellable,
                                                        GError           **error);

/* The documented slow path for one profile's email events:
 * GET profileAndServices/history/<pkey> → events.href → every page of it.
 * Returns JsonObject* events ({PKey, category, date, label, type,
 * mirrorPage{href}}). */
GPtrArray        *cc_campaign_client_get_history (CcCampaignClient  *self,
                                                  const char        *pkey,
                                                  GCancellable      *cancellable,
                                                  GError           **error);

/* Parses an RFC 8288 Link header and returns the target of rel="next"
 * (resolved against @base_url when relative), or NULL. */
char             *cc_campaign_client_parse_link_next (const char *link_header,
                                                      const char *base_url);

G_END_DECLS
