/* cc-schema-guard.h — a request refused because a field or column is gone.
 *
 * An admin may take a field out of a Campaign resource, or make it
 * read-only, or remove a column of a Dynamics 365 table, while a workflow
 * reads or writes it. Every request that names it is then refused, record
 * after record: logging each one as a rejected record would fill the
 * error log and move nothing. So when a service refuses a request, its
 * caller asks the guard, which reads the live schema once: when a field
 * or column the request named is gone (or, for a write, read-only), the
 * guard answers with the error that fails the run at once, naming it and
 * saying what to do; the caller leaves the record queued for the next
 * start, once the configuration no longer names it. A refusal for another
 * reason (a value the service does not take) is the record's own, and
 * goes to the error log as before.
 *
 * The schema that showed nothing wrong for a refusal counts as current for
 * a few seconds for the same refusal (the same message, on the same
 * resource): one call for a burst of them, while a refusal of another kind
 * is checked at once. Shared by the threads of a run: thread-safe.
 */
#pragma once

#include <json-glib/json-glib.h>

#include "cc-campaign-client.h"
#include "cc-dataverse-client.h"
#include "cc-run.h"

G_BEGIN_DECLS

typedef struct _CcSchemaGuard CcSchemaGuard;

CcSchemaGuard *cc_schema_guard_new             (void);
void           cc_schema_guard_free            (CcSchemaGuard       *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CcSchemaGuard, cc_schema_guard_free)

/* Campaign refused (@reason: its message, may be NULL) a request that
 * named @fields of @resource, to write them when @writing, else to read
 * them. TRUE when each is still there (and writable, for a write): the
 * refusal is the record's own. FALSE with CC_ERROR_SCHEMA naming the first
 * that is not, and saying to take it out of @where (translated words, e.g.
 * the mapping that names it); or with the error of reading the schema
 * (CC_ERROR_TRANSIENT: try again later). */
gboolean       cc_schema_guard_check_campaign  (CcSchemaGuard       *self,
                                                CcCampaignClient    *client,
                                                const char          *resource,
                                                const char * const  *fields,
                                                gboolean             writing,
                                                const char          *reason,
                                                const char          *where,
                                                GCancellable        *cancellable,
                                                GError             **error);
/* The same for @columns of the Dynamics 365 table @table (logical name). */
gboolean       cc_schema_guard_check_dynamics  (CcSchemaGuard       *self,
                                                CcDataverseClient   *client,
                                                const char          *table,
                                                const char * const  *columns,
                                                gboolean             writing,
                                                const char          *reason,
                                                const char          *where,
                                                GCancellable        *cancellable,
                                                GError             **error);

/* The same without blocking, for a writer that keeps many requests in
 * flight on its thread's main context (cc-write-pump.h): the schema is
 * read on a thread of its own, by a client of @run's, and @callback is
 * called on the caller's thread-default main context; finish with
 * cc_schema_guard_check_finish(). The refusals of the same words that
 * come while a check runs wait for its answer. */
void           cc_schema_guard_check_campaign_async (CcSchemaGuard       *self,
                                                     CcRun               *run,
                                                     const char          *resource,
                                                     const char * const  *fields,
                                                     gboolean             writing,
                                                     const char          *reason,
                                                     const char          *where,
                                                     GCancellable        *cancellable,
                                                     GAsyncReadyCallback  callback,
                                                     gpointer             user_data);
void           cc_schema_guard_check_dynamics_async (CcSchemaGuard       *self,
                                                     CcRun               *run,
                                                     const char          *table,
                                                     const char * const  *columns,
                                                     gboolean             writing,
                                                     const char          *reason,
                                                     const char          *where,
                                                     GCancellable        *cancellable,
                                                     GAsyncReadyCallback  callback,
                                                     gpointer             user_data);
gboolean       cc_schema_guard_check_finish         (GAsyncResult        *result,
                                                     GError             **error);

/* A read of @columns of the Dynamics 365 table @table failed with
 * *@error: when that is CC_ERROR_SCHEMA because one of them is gone,
 * replaces it with the error check_dynamics() gives, which says what to
 * do. Any other error is left as it is. */
void           cc_schema_guard_explain_read    (CcSchemaGuard       *self,
                                                CcDataverseClient   *client,
                                                const char          *table,
                                                const char * const  *columns,
                                                const char          *where,
                                                GCancellable        *cancellable,
                                                GError             **error);

/* The members of a request body that name fields or columns: all but
 * annotations ("@…", "…@odata.bind"). */
GStrv          cc_schema_guard_names           (JsonObject          *body);

G_END_DECLS
