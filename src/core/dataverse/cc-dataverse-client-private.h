/* cc-dataverse-client-private.h — shared by the Dataverse client's files:
 * cc-dataverse-client.c (requests, reads, single writes),
 * cc-dataverse-metadata.c (EntityDefinitions), cc-dataverse-batch.c
 * ($batch bodies in and out) and cc-dataverse-async.c (single reads and
 * writes as asynchronous requests). */
#pragma once

#include "cc-dataverse-client.h"

G_BEGIN_DECLS

/* A request with the headers the Web API wants on every call, the bearer
 * token, and JSON expected back. @url is absolute, or relative to the Web
 * API root. */
CcHttpRequest     *cc_dataverse_client_new_request  (CcDataverseClient   *self,
                                                     const char          *method,
                                                     const char          *url);
/* Absolute URL for @path (kept as is when it already is absolute). */
char              *cc_dataverse_client_resolve      (CcDataverseClient   *self,
                                                     const char          *path);
/* Turns answers that concern the whole connection (401/403) into a
 * GError; returns FALSE then. */
gboolean           cc_dataverse_client_check_access (CcDataverseClient   *self,
                                                     CcHttpResponse      *response,
                                                     GError             **error);

/* A result from one answer's parts: status, headers and body. */
CcDataverseResult *cc_dataverse_result_new          (guint                status,
                                                     const char          *reason,
                                                     SoupMessageHeaders  *headers,
                                                     const char          *body,
                                                     gsize                body_len);

/* A result from a whole answer. */
CcDataverseResult *cc_dataverse_result_from         (CcHttpResponse      *response);
/* GET @path, with $select=@columns when there are any. */
CcHttpRequest     *cc_dataverse_client_get_request  (CcDataverseClient   *self,
                                                     const char          *path,
                                                     const char * const  *columns);
/* PATCH @path with @body, as @mode says (If-Match, If-None-Match). */
CcHttpRequest     *cc_dataverse_client_upsert_request (CcDataverseClient     *self,
                                                       const char            *path,
                                                       JsonObject            *body,
                                                       CcDataverseUpsertMode  mode);
/* The results of @ops (CcDataverseOp*) from the answer to their $batch
 * (what cc_dataverse_client_batch() makes of it), or NULL with the
 * error. */
GPtrArray         *cc_dataverse_client_read_batch_answer (GPtrArray             *ops,
                                                          CcDataverseBatchFlags  flags,
                                                          CcHttpResponse        *response,
                                                          GError               **error);

/* A table from its EntityDefinitions object (with its Attributes when
 * they were expanded); NULL when it names no table. */
CcDataverseTable  *cc_dataverse_table_read          (JsonObject          *definition);
/* The options of @column from its typed attribute object (OptionSet,
 * GlobalOptionSet, or the two options of a Boolean). */
void               cc_dataverse_column_read_options (CcDataverseColumn   *column,
                                                     JsonObject          *attribute);

/* Percent-encodes a query value (OData syntax characters kept). */
char              *cc_dataverse_escape_query_value  (const char          *value);

G_END_DECLS
