/* client-fixture.c — the sandbox and clients of the service client tests. */
#include "cc-http.h"
#include "cc-test-admin.h"
#include "client-fixture.h"

CcSandbox *
client_fixture_start_sandbox (guint contacts,
                              guint events)
{
  CcSandboxOptions options;
  g_autoptr(GError) error = NULL;
  CcSandbox *sandbox;

  cc_sandbox_options_init (&options);
  options.contacts = contacts;
  if (events > 0)
    options.events = events;
  sandbox = cc_sandbox_new (&options);
  g_assert_true (cc_sandbox_start (sandbox, &error));
  g_assert_no_error (error);
  return sandbox;
}

/* Many attempts with short backoffs: the sandbox's faults are retried
 * quickly. */
static void
quick_retries (CcHttp *http)
{
  cc_http_set_retry_policy (http, 20, 5, 50);
}

void
client_fixture_setup_dataverse (ClientFixture *fixture,
                                gconstpointer  data)
{
  CcDataverseSettings settings = { 0 };
  g_autofree char *token_url = NULL;

  fixture->sandbox = client_fixture_start_sandbox (N_CONTACTS, 0);
  settings.url = cc_sandbox_get_dataverse_url (fixture->sandbox);
  settings.tenant = CC_SANDBOX_TENANT;
  settings.client_id = CC_SANDBOX_CLIENT_ID;
  settings.secret = CC_SANDBOX_SECRET;
  /* The sandbox serves Entra's endpoint next to the Web API. */
  token_url = g_strdup_printf ("%s/%s/oauth2/v2.0/token", settings.url, CC_SANDBOX_TENANT);
  settings.token_url = token_url;
  fixture->dataverse = cc_dataverse_client_new (&settings);
  fixture->admin_url = g_strconcat (settings.url, "/_sandbox/", NULL);
  quick_retries (cc_dataverse_client_get_http (fixture->dataverse));
}

void
client_fixture_setup_campaign (ClientFixture *fixture,
                               gconstpointer  data)
{
  CcCampaignSettings settings = { 0 };
  g_autofree char *ims_url = NULL;
  g_autofree char *journal_url = NULL;

  fixture->sandbox = client_fixture_start_sandbox (20, N_EVENTS);
  ims_url = cc_sandbox_get_ims_url (fixture->sandbox);
  journal_url = cc_sandbox_get_journal_url (fixture->sandbox);
  settings.org = CC_SANDBOX_ORG;
  settings.api_key = CC_SANDBOX_API_KEY;
  settings.api_url = cc_sandbox_get_campaign_url (fixture->sandbox);
  settings.ims_url = ims_url;
  settings.journal_url = journal_url;
  settings.secret = CC_SANDBOX_SECRET;
  fixture->campaign = cc_campaign_client_new (&settings);
  fixture->admin_url = g_strconcat (settings.api_url, "/_sandbox/", NULL);
  quick_retries (cc_campaign_client_get_http (fixture->campaign));
}

void
client_fixture_teardown (ClientFixture *fixture,
                         gconstpointer  data)
{
  g_clear_object (&fixture->dataverse);
  g_clear_object (&fixture->campaign);
  cc_sandbox_stop (fixture->sandbox);
  g_clear_object (&fixture->sandbox);
  g_free (fixture->admin_url);
}

JsonNode *
client_admin (ClientFixture *fixture,
              const char    *method,
              const char    *path,
              const char    *body,
              guint          expected_status)
{
  return cc_test_admin_expect (fixture->admin_url, method, path, body, expected_status);
}

void
client_admin_drop (ClientFixture *fixture,
                   const char    *method,
                   const char    *path,
                   const char    *body,
                   guint          expected_status)
{
  cc_test_admin_drop (fixture->admin_url, method, path, body, expected_status);
}

void
client_flight_on_sent (GObject      *source,
                       GAsyncResult *result,
                       gpointer      data)
{
  ClientFlight *flight = data;
  g_autoptr(CcHttpResponse) response = NULL;
  g_autoptr(GError) error = NULL;

  response = cc_http_send_finish (CC_HTTP (source), result, &error);
  g_assert_no_error (error);
  if (response->status == 200)
    flight->ok++;
  flight->ended++;
}
