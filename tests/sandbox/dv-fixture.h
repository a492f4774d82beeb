/* dv-fixture.h — what the Dataverse emulator tests share: an
 * in-process sandbox, a synchronous libsoup session, and helpers that send
 * one request and hand back status, headers and parsed JSON.
 */
#pragma once

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "cc-sandbox.h"

G_BEGIN_DECLS

typedef struct
{
  guint contacts;        /* 0 = 60 */
  guint max_requests;    /* 0 = default */
  guint window_s;
  guint max_concurrent;
  guint change_retention_days; /* 0 = default */
  guint max_execution_ms;      /* 0 = default */
} DvFixtureConfig;

typedef struct
{
  CcSandbox   *sandbox;
  SoupSession *session;
  const char  *url;      /* environment URL */
  char        *api;      /* <url>/api/data/v9.2/ */
  char        *token;
} DvFixture;

typedef struct
{
  guint               status;
  SoupMessageHeaders *headers;
  char               *text;      /* the body, NUL-terminated */
  gsize               length;
  JsonNode           *json;      /* NULL unless the body parsed */
  GError             *error;     /* transport failure */
} DvReply;

void        dv_fixture_setup    (DvFixture     *f,
                                 gconstpointer  config);
void        dv_fixture_teardown (DvFixture     *f,
                                 gconstpointer  config);

/* Sends one request; @auth adds the fixture's bearer token. Trailing
 * arguments are header name/value pairs, NULL-terminated. */
DvReply    *dv_send             (DvFixture     *f,
                                 const char    *method,
                                 const char    *url,
                                 const char    *content_type,
                                 const char    *body,
                                 gboolean       auth,
                                 ...) G_GNUC_NULL_TERMINATED;
/* The same, with @path under the API root and the bearer token. */
DvReply    *dv_api              (DvFixture     *f,
                                 const char    *method,
                                 const char    *path,
                                 const char    *body,
                                 ...) G_GNUC_NULL_TERMINATED;
DvReply    *dv_admin            (DvFixture     *f,
                                 const char    *method,
                                 const char    *path,
                                 const char    *body);
void        dv_reply_free       (DvReply       *reply);
/* The object of @array whose string @member is @value, or NULL. */
JsonObject *dv_find_by          (JsonArray     *array,
                                 const char    *member,
                                 const char    *value);
/* The id of the first contact in creation order. */
char       *dv_first_contact_id (DvFixture     *f);

JsonObject *dv_reply_object     (DvReply       *reply);
JsonArray  *dv_reply_value      (DvReply       *reply);
void        dv_assert_error     (DvReply       *reply,
                                 guint          status,
                                 const char    *code,
                                 const char    *message_part);
char       *dv_fetch_token      (DvFixture     *f);
/* A token of another application user (POST /_sandbox/users). */
char       *dv_fetch_token_for  (DvFixture     *f,
                                 const char    *client_id,
                                 const char    *secret);
void        dv_set_faults       (DvFixture     *f,
                                 const char    *json);
char       *dv_escape           (const char    *text);
/* Appends one operation to a $batch body whose boundary is "batch_T"
 * (or, inside a change set, @boundary). */
void        dv_batch_add        (GString       *b,
                                 const char    *boundary,
                                 const char    *method,
                                 const char    *url,
                                 const char    *json,
                                 const char    *content_id);
/* Closes the body and POSTs it to $batch, with a Prefer header if given. */
DvReply    *dv_batch_send       (DvFixture     *f,
                                 GString       *b,
                                 const char    *prefer);
/* Runs @ready until it returns TRUE or @timeout_ms passes. */
gboolean    dv_wait_until       (gboolean     (*ready) (gpointer data),
                                 gpointer       data,
                                 guint          timeout_ms);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (DvReply, dv_reply_free)

/* Test registration of the other source files of this binary. */
void        dv_add_query_tests  (void);
void        dv_add_paging_tests (void);
void        dv_add_write_tests  (void);
void        dv_add_fidelity_tests (void);
void        dv_add_metadata_tests (void);
void        dv_add_limits_tests (void);
void        dv_add_customize_tests (void);

G_END_DECLS
