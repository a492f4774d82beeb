/* cc-test-server.h — an HTTP server of the test's own on a loopback port,
 * for answers the sandbox never gives: a token revoked behind the
 * client's back, a body nested a hundred thousand levels deep, a
 * redirect to another host. It serves from a thread of its own, so that
 * the test can talk to it with synchronous calls. */
#pragma once

#include <libsoup/soup.h>

G_BEGIN_DECLS

typedef struct _CcTestServer CcTestServer;

/* Called on the server's thread for every request (@path without the
 * query); it answers @msg. */
typedef void (*CcTestServerHandler) (SoupServerMessage *msg,
                                     const char        *path,
                                     gpointer           user_data);

CcTestServer *cc_test_server_start       (CcTestServerHandler  handler,
                                          gpointer             user_data);
/* "http://127.0.0.1:<port>/" */
const char   *cc_test_server_get_url     (CcTestServer        *server);
/* How many requests it has been sent so far. */
guint         cc_test_server_get_requests (CcTestServer       *server);
/* Stops serving and frees; the handler is never called after. */
void          cc_test_server_stop        (CcTestServer        *server);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CcTestServer, cc_test_server_stop)

/* Answers @msg with @status and @json as its body. */
void          cc_test_server_answer_json (SoupServerMessage   *msg,
                                          guint                status,
                                          const char          *json);

G_END_DECLS
