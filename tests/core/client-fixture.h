/* client-fixture.h — what the service client tests share: an in-process
 * sandbox, a Dataverse or Campaign client that speaks to it, and the
 * sandbox's admin API for changes "made in the service".
 */
#pragma once

#include <json-glib/json-glib.h>

#include "cc-campaign-client.h"
#include "cc-dataverse-client.h"
#include "cc-sandbox.h"

G_BEGIN_DECLS

/* What came back of requests sent with cc_http_send_async () and
 * client_flight_on_sent () as their callback: how many ended, how many
 * of them with 200. A send that fails fails the test. */
typedef struct
{
  guint ended;
  guint ok;
} ClientFlight;

void        client_flight_on_sent           (GObject       *source,
                                             GAsyncResult  *result,
                                             gpointer       flight);

/* What client_fixture_setup_dataverse() seeds. */
#define N_CONTACTS 1234
/* What client_fixture_setup_campaign() seeds: 20 contacts, and journal
 * events. */
#define N_EVENTS 57

typedef struct
{
  CcSandbox         *sandbox;
  CcDataverseClient *dataverse;   /* one of the two, by the set-up */
  CcCampaignClient  *campaign;
  char              *admin_url;   /* <service URL>/_sandbox/ */
} ClientFixture;

/* Starts an in-process sandbox on loopback with @contacts contacts and
 * @events journal events (0 = the default); fails the test if it cannot. */
CcSandbox  *client_fixture_start_sandbox    (guint          contacts,
                                             guint          events);

void        client_fixture_setup_dataverse  (ClientFixture *fixture,
                                             gconstpointer  data);
void        client_fixture_setup_campaign   (ClientFixture *fixture,
                                             gconstpointer  data);
void        client_fixture_teardown         (ClientFixture *fixture,
                                             gconstpointer  data);

/* The sandbox's admin API (/_sandbox/@path) of the client's service, no
 * auth. Returns the parsed body (or NULL when empty) and checks the
 * status. */
JsonNode   *client_admin                    (ClientFixture *fixture,
                                             const char    *method,
                                             const char    *path,
                                             const char    *body,
                                             guint          expected_status);
/* For calls whose answer only matters by its status. */
void        client_admin_drop               (ClientFixture *fixture,
                                             const char    *method,
                                             const char    *path,
                                             const char    *body,
                                             guint          expected_status);

#define CLIENT_ADD_DATAVERSE(path, func) \
  g_test_add (path, ClientFixture, NULL, client_fixture_setup_dataverse, func, \
              client_fixture_teardown)
#define CLIENT_ADD_CAMPAIGN(path, func) \
  g_test_add (path, ClientFixture, NULL, client_fixture_setup_campaign, func, \
              client_fixture_teardown)

/* Test registration of the other source files of test-dataverse-client. */
void        dvc_add_read_tests              (void);
void        dvc_add_write_tests             (void);

G_END_DECLS
