/* acs-fixture.h — what the Campaign Standard emulator tests share: an
 * in-process sandbox with an IMS token, and helpers that send one request
 * and hand back status, headers and parsed JSON.
 */
#pragma once

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "cc-sandbox.h"

G_BEGIN_DECLS

typedef struct
{
  CcSandbox   *sandbox;
  SoupSession *session;
  const char  *base;      /* http://127.0.0.1:PORT */
  char        *api;       /* <base>/sandbox-org/campaign */
  char        *token;
} AcsFixture;

typedef struct
{
  guint               status;
  SoupMessageHeaders *headers;
  char               *text;
  JsonNode           *json;
} AcsResponse;

typedef gboolean (*AcsCondition) (AcsFixture *f, gpointer data);

/* 20 contacts, 25 journal events and a token from IMS. */
void         acs_fixture_setup        (AcsFixture    *f,
                                       gconstpointer  data);
void         acs_fixture_teardown     (AcsFixture    *f,
                                       gconstpointer  data);

void         acs_response_free        (AcsResponse   *r);

/* One synchronous request; api_key and token are sent when not NULL. */
AcsResponse *acs_send                 (AcsFixture    *f,
                                       const char    *method,
                                       const char    *url,
                                       const char    *content_type,
                                       const char    *body,
                                       const char    *api_key,
                                       const char    *token);
/* An authorised call to the API: @path is under /sandbox-org/campaign/,
 * or an absolute URL. */
AcsResponse *acs_api                  (AcsFixture    *f,
                                       const char    *method,
                                       const char    *path,
                                       const char    *body);
/* The admin API: @path is under /_sandbox/. */
AcsResponse *acs_admin                (AcsFixture    *f,
                                       const char    *method,
                                       const char    *path,
                                       const char    *body);
/* A client-credentials token request to IMS. */
AcsResponse *acs_ims                  (AcsFixture    *f,
                                       const char    *client_id,
                                       const char    *secret);

JsonObject  *acs_obj                  (AcsResponse   *r);
/* The string @member of @o, which must be there. */
const char  *acs_str                  (JsonObject    *o,
                                       const char    *member);
void         acs_assert_json_type     (AcsResponse   *r);
/* An error answer of @status whose message holds @fragment (if not NULL). */
void         acs_assert_error         (AcsResponse   *r,
                                       guint          status,
                                       const char    *fragment);

/* Creates a profile through the Ext view and returns its PKey. */
char        *acs_create_profile       (AcsFixture    *f,
                                       const char    *json);
/* Polls @cond until it holds or @timeout_s passes. */
gboolean     acs_wait_until           (AcsFixture    *f,
                                       AcsCondition   cond,
                                       gpointer       data,
                                       guint          timeout_s);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (AcsResponse, acs_response_free)

#define ACS_ADD(path, func) \
  g_test_add ("/sandbox/campaign/" path, AcsFixture, NULL, acs_fixture_setup, func, acs_fixture_teardown)

/* Test registration of the other source files of this binary. */
void         acs_add_profile_tests    (void);
void         acs_add_resource_tests   (void);
void         acs_add_journal_tests    (void);
void         acs_add_setup_tests      (void);

G_END_DECLS
