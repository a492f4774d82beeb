/* test-campaign.c — the Campaign Standard emulator, spoken to with plain
 * libsoup requests: Adobe IMS, the gateway's checks, profiles and a custom
 * resource (CRUD, keys, validation, paging, sorting, filters, metadata),
 * marketing history, the I/O Events journal, the admin API and faults.
 */
#include "config.h"

#include <string.h>

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "cc-sandbox.h"
#include "cc-test-util.h"

typedef struct
{
  CcSandbox   *sandbox;
  SoupSession *session;
  const char  *base;      /* http://127.0.0.1:PORT */
  char        *api;       /* <base>/sandbox-org/campaign */
  char        *token;
} Fixture;

typedef struct
{
  guint               status;
  SoupMessageHeaders *headers;
  char               *text;
  JsonNode           *json;
} Response;

static void
response_free (Response *r)
{
  g_clear_pointer (&r->headers, soup_message_headers_unref);
  g_clear_pointer (&r->json, json_node_unref);
  g_free (r->text);
  g_free (r);
}
G_DEFINE_AUTOPTR_CLEANUP_FUNC (Response, response_free)

/* One synchronous request; api_key and token are sent when not NULL. */
static Response *
send_full (Fixture    *f,
           const char *method,
           const char *url,
           const char *content_type,
           const char *body,
           const char *api_key,
           const char *token)
{
  g_autoptr(SoupMessage) msg = soup_message_new (method, url);
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  Response *r = g_new0 (Response, 1);

  g_assert_nonnull (msg);
  if (body != NULL)
    {
      g_autoptr(GBytes) request = g_bytes_new (body, strlen (body));

      soup_message_set_request_body_from_bytes (msg, content_type, request);
    }
  if (api_key != NULL)
    soup_message_headers_replace (soup_message_get_request_headers (msg), "X-Api-Key", api_key);
  if (token != NULL)
    {
      g_autofree char *auth = g_strconcat ("Bearer ", token, NULL);

      soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", auth);
    }
  bytes = soup_session_send_and_read (f->session, msg, NULL, &error);
  g_assert_no_error (error);
  r->status = soup_message_get_status (msg);
  r->headers = soup_message_headers_ref (soup_message_get_response_headers (msg));
  r->text = g_bytes_get_size (bytes) > 0
            ? g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes))
            : g_strdup ("");
  if (*r->text != '\0')
    r->json = json_from_string (r->text, NULL);
  return r;
}

/* An authorised call to the API: @path is under /sandbox-org/campaign/,
 * or an absolute URL. */
static Response *
api (Fixture    *f,
     const char *method,
     const char *path,
     const char *body)
{
  g_autofree char *url = g_str_has_prefix (path, "http") ? g_strdup (path)
                                                         : g_strconcat (f->api, "/", path, NULL);

  return send_full (f, method, url, "application/json", body, CC_SANDBOX_API_KEY, f->token);
}

static Response *
admin (Fixture    *f,
       const char *method,
       const char *path,
       const char *body)
{
  g_autofree char *url = g_strconcat (f->base, "/_sandbox/", path, NULL);

  return send_full (f, method, url, "application/json", body, NULL, NULL);
}

static Response *
ims (Fixture    *f,
     const char *client_id,
     const char *secret)
{
  g_autofree char *url = g_strconcat (f->base, "/ims/token/v3", NULL);
  g_autofree char *form = soup_form_encode ("grant_type", "client_credentials",
                                            "client_id", client_id,
                                            "client_secret", secret,
                                            "scope", "openid,AdobeID,campaign_sdk", NULL);

  return send_full (f, "POST", url, "application/x-www-form-urlencoded", form, NULL, NULL);
}

static JsonObject *
obj (Response *r)
{
  g_assert_nonnull (r->json);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (r->json));
  return json_node_get_object (r->json);
}

static const char *
str (JsonObject *o,
     const char *member)
{
  g_assert_true (json_object_has_member (o, member));
  return json_object_get_string_member (o, member);
}

static void
assert_json_type (Response *r)
{
  g_assert_cmpstr (soup_message_headers_get_one (r->headers, "Content-Type"), ==,
                   "application/json;charset=utf-8");
}

static void
assert_error (Response   *r,
              guint       status,
              const char *fragment)
{
  g_assert_cmpuint (r->status, ==, status);
  assert_json_type (r);
  g_assert_cmpint (json_object_get_int_member (obj (r), "code"), ==, status);
  if (fragment != NULL)
    g_assert_nonnull (strstr (str (obj (r), "message"), fragment));
}

static void
fixture_setup_with (Fixture *f,
                    guint    events)
{
  CcSandboxOptions options;
  g_autoptr(GError) error = NULL;
  g_autoptr(Response) r = NULL;

  cc_sandbox_options_init (&options);
  options.contacts = 20;
  options.events = events;
  f->sandbox = cc_sandbox_new (&options);
  g_assert_true (cc_sandbox_start (f->sandbox, &error));
  g_assert_no_error (error);
  f->base = cc_sandbox_get_campaign_url (f->sandbox);
  f->api = g_strconcat (f->base, "/", CC_SANDBOX_ORG, "/campaign", NULL);
  f->session = soup_session_new ();
  r = ims (f, CC_SANDBOX_API_KEY, CC_SANDBOX_SECRET);
  g_assert_cmpuint (r->status, ==, 200);
  f->token = g_strdup (str (obj (r), "access_token"));
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  fixture_setup_with (f, 25);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_clear_object (&f->session);
  cc_sandbox_stop (f->sandbox);
  g_clear_object (&f->sandbox);
  g_free (f->api);
  g_free (f->token);
}

/* Creates a profile through the Ext view and returns its PKey. */
static char *
create_profile (Fixture    *f,
                const char *json)
{
  g_autoptr(Response) r = api (f, "POST", "profileAndServicesExt/profile", json);

  g_assert_cmpuint (r->status, ==, 201);
  return g_strdup (str (obj (r), "PKey"));
}

typedef gboolean (*Condition) (Fixture *f, gpointer data);

/* Polls @cond until it holds or @timeout_s passes. */
static gboolean
wait_until (Fixture   *f,
            Condition  cond,
            gpointer   data,
            guint      timeout_s)
{
  gint64 deadline = g_get_monotonic_time () + timeout_s * G_USEC_PER_SEC;

  while (!cond (f, data))
    {
      if (g_get_monotonic_time () > deadline)
        return FALSE;
      g_usleep (50 * 1000);
    }
  return TRUE;
}

/* ---- IMS and the gateway ---------------------------------------------- */

static void
test_ims (Fixture *f, gconstpointer data)
{
  g_autoptr(Response) good = ims (f, CC_SANDBOX_API_KEY, CC_SANDBOX_SECRET);
  g_autoptr(Response) bad_id = ims (f, "someone-else", CC_SANDBOX_SECRET);
  g_autoptr(Response) bad_secret = ims (f, CC_SANDBOX_API_KEY, "wrong");
  g_autofree char *url = g_strconcat (f->base, "/ims/token/v3", NULL);
  g_autoptr(Response) bad_grant = send_full (f, "POST", url, "application/x-www-form-urlencoded",
                                             "grant_type=password&client_id=sandbox-api-key",
                                             NULL, NULL);

  g_assert_cmpuint (good->status, ==, 200);
  assert_json_type (good);
  g_assert_cmpstr (str (obj (good), "token_type"), ==, "bearer");
  g_assert_cmpint (json_object_get_int_member (obj (good), "expires_in"), >, 0);
  g_assert_cmpstr (str (obj (good), "access_token"), !=, f->token);

  g_assert_cmpuint (bad_id->status, ==, 400);
  g_assert_cmpstr (str (obj (bad_id), "error"), ==, "invalid_client");
  g_assert_nonnull (strstr (str (obj (bad_id), "error_description"), "client_id"));
  g_assert_cmpuint (bad_secret->status, ==, 401);
  g_assert_cmpstr (str (obj (bad_secret), "error"), ==, "invalid_client");
  g_assert_cmpuint (bad_grant->status, ==, 400);
  g_assert_cmpstr (str (obj (bad_grant), "error"), ==, "unsupported_grant_type");
}

static gboolean
token_refused (Fixture *f, gpointer data)
{
  g_autofree char *url = g_strconcat (f->api, "/profileAndServices/profile", NULL);
  g_autoptr(Response) r = send_full (f, "GET", url, NULL, NULL, CC_SANDBOX_API_KEY, data);

  return r->status == 401;
}

static void
test_gateway (Fixture *f, gconstpointer data)
{
  g_autofree char *url = g_strconcat (f->api, "/profileAndServices/profile", NULL);
  g_autofree char *wrong_org = g_strconcat (f->base, "/other-org/campaign/profileAndServices/profile", NULL);
  g_autoptr(Response) ok = send_full (f, "GET", url, NULL, NULL, CC_SANDBOX_API_KEY, f->token);
  g_autoptr(Response) no_token = send_full (f, "GET", url, NULL, NULL, CC_SANDBOX_API_KEY, NULL);
  g_autoptr(Response) bad_token = send_full (f, "GET", url, NULL, NULL, CC_SANDBOX_API_KEY, "nope");
  g_autoptr(Response) no_key = send_full (f, "GET", url, NULL, NULL, NULL, f->token);
  g_autoptr(Response) bad_key = send_full (f, "GET", url, NULL, NULL, "other-key", f->token);
  g_autoptr(Response) org = send_full (f, "GET", wrong_org, NULL, NULL, CC_SANDBOX_API_KEY, f->token);
  g_autoptr(JsonObject) knobs = json_object_new ();
  g_autoptr(Response) short_lived = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *short_token = NULL;

  g_assert_cmpuint (ok->status, ==, 200);
  for (guint i = 0; i < 2; i++)
    {
      Response *r = i == 0 ? no_token : bad_token;

      g_assert_cmpuint (r->status, ==, 401);
      assert_json_type (r);
      g_assert_cmpstr (str (obj (r), "error_code"), ==, "401013");
      g_assert_cmpstr (str (obj (r), "message"), ==, "Oauth token is not valid");
    }
  g_assert_cmpuint (no_key->status, ==, 403);
  g_assert_cmpuint (bad_key->status, ==, 403);
  g_assert_cmpstr (str (obj (bad_key), "error_code"), ==, "403000");
  assert_error (org, 500, "Oops. Something went wrong. Check your URI and try again.");

  /* A token outlives its expires_in by nothing. */
  json_object_set_int_member (knobs, "token_lifetime", 1);
  g_assert_true (cc_sandbox_faults_set_json (cc_sandbox_get_faults (f->sandbox), knobs, &error));
  short_lived = ims (f, CC_SANDBOX_API_KEY, CC_SANDBOX_SECRET);
  g_assert_cmpint (json_object_get_int_member (obj (short_lived), "expires_in"), ==, 1);
  short_token = g_strdup (str (obj (short_lived), "access_token"));
  g_assert_true (wait_until (f, token_refused, short_token, 15));
  g_assert_false (token_refused (f, f->token));
}

/* ---- Profiles --------------------------------------------------------- */

static void
test_profile_crud (Fixture *f, gconstpointer data)
{
  g_autoptr(Response) created = api (f, "POST", "profileAndServicesExt/profile",
                                     "{\"email\":\"anna.becker@example.com\",\"firstName\":\"Anna\","
                                     "\"lastName\":\"Becker\",\"birthDate\":\"1980-10-24\","
                                     "\"externalId\":\"c-1\",\"cusTier\":\"gold\"}");
  JsonObject *o = obj (created);
  g_autofree char *pkey = g_strdup (str (o, "PKey"));
  g_autofree char *by_pkey = g_strconcat ("profileAndServices/profile/", pkey, NULL);
  g_autoptr(Response) got = NULL, by_key = NULL, plain_key = NULL, patched = NULL, after = NULL;
  g_autoptr(Response) deleted = NULL, gone = NULL;
  g_autoptr(GRegex) time_re = g_regex_new ("^\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z$", 0, 0, NULL);

  g_assert_cmpuint (created->status, ==, 201);
  assert_json_type (created);
  g_assert_true (pkey[0] == '@' && strlen (pkey) > 20);
  g_assert_true (g_str_has_suffix (str (o, "href"), pkey));
  g_assert_true (g_str_has_prefix (str (o, "href"), f->api));
  g_assert_true (g_regex_match (time_re, str (o, "created"), 0, NULL));
  g_assert_true (g_regex_match (time_re, str (o, "lastModified"), 0, NULL));
  g_assert_cmpstr (str (o, "gender"), ==, "unknown");
  g_assert_false (json_object_get_boolean_member (o, "denyList"));
  g_assert_cmpstr (str (o, "cusTier"), ==, "gold");

  got = api (f, "GET", by_pkey, NULL);
  g_assert_cmpuint (got->status, ==, 200);
  g_assert_cmpstr (str (obj (got), "email"), ==, "anna.becker@example.com");
  g_assert_cmpstr (str (obj (got), "birthDate"), ==, "1980-10-24");
  g_assert_false (json_object_has_member (obj (got), "cusTier"));

  /* The custom key addresses the record in the Ext view only. */
  by_key = api (f, "GET", "profileAndServicesExt/profile/c-1", NULL);
  g_assert_cmpuint (by_key->status, ==, 200);
  g_assert_cmpstr (str (obj (by_key), "PKey"), ==, pkey);
  plain_key = api (f, "GET", "profileAndServices/profile/c-1", NULL);
  assert_error (plain_key, 404, NULL);

  patched = api (f, "PATCH", "profileAndServicesExt/profile/c-1",
                 "{\"lastName\":\"Schäfer\",\"blackListEmail\":true,\"gender\":\"female\"}");
  g_assert_cmpuint (patched->status, ==, 200);
  g_assert_cmpuint (json_object_get_size (obj (patched)), ==, 2);
  g_assert_cmpstr (str (obj (patched), "PKey"), ==, pkey);
  g_assert_true (g_str_has_suffix (str (obj (patched), "href"), pkey));
  after = api (f, "GET", by_pkey, NULL);
  g_assert_cmpstr (str (obj (after), "lastName"), ==, "Schäfer");
  g_assert_cmpstr (str (obj (after), "gender"), ==, "female");
  g_assert_true (json_object_get_boolean_member (obj (after), "denyListEmail"));
  g_assert_false (json_object_has_member (obj (after), "blackListEmail"));
  g_assert_cmpstr (str (obj (after), "lastModified"), >=, str (o, "lastModified"));

  deleted = api (f, "DELETE", by_pkey, NULL);
  g_assert_cmpuint (deleted->status, ==, 200);
  gone = api (f, "GET", by_pkey, NULL);
  assert_error (gone, 404, NULL);
}

static void
test_profile_validation (Fixture *f, gconstpointer data)
{
  g_autofree char *pkey = create_profile (f, "{\"email\":\"z@example.org\",\"externalId\":\"k-1\"}");
  g_autofree char *path = g_strconcat ("profileAndServicesExt/profile/", pkey, NULL);
  g_autofree char *long_name = g_strnfill (65, 'x');
  g_autofree char *too_long = g_strdup_printf ("{\"firstName\":\"%s\"}", long_name);
  struct { const char *body; guint status; const char *fragment; } cases[] = {
    { "{\"lastModified\":\"2020-01-01 00:00:00.000Z\"}", 500,
      "Cannot update the 'lastModified' property that is read-only" },
    { "{\"PKey\":\"@x\"}", 500, "'PKey' property that is read-only" },
    { "{\"email\":\"not-an-address\"}", 400, "'email'" },
    { "{\"email\":\"a@b@example.com\"}", 400, "not valid" },
    { "{\"birthDate\":\"24/10/1980\"}", 400, "'birthDate'" },
    { "{\"birthDate\":\"1980-02-30\"}", 400, "'birthDate'" },
    { "{\"denyList\":\"yes\"}", 400, "'denyList'" },
    { too_long, 400, "'firstName'" },
    { "{\"favouriteColour\":\"blue\"}", 400, "'favouriteColour'" },
    { "{\"gender\":\"other\"}", 400, "'gender'" },
    { "{\"externalId\":\"k-2\"}", 400, "'externalId' cannot be changed" },
    { "[1,2]", 400, "JSON object" },
  };
  g_autoptr(Response) dup = NULL, plain_custom = NULL, empty_keys = NULL, empty_keys2 = NULL;
  g_autoptr(Response) unchanged = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(Response) r = api (f, "PATCH", path, cases[i].body);

      assert_error (r, cases[i].status, cases[i].fragment);
    }
  unchanged = api (f, "GET", path, NULL);
  g_assert_cmpstr (str (obj (unchanged), "email"), ==, "z@example.org");

  /* A create is validated the same way, and keys are unique. */
  dup = api (f, "POST", "profileAndServicesExt/profile", "{\"externalId\":\"k-1\"}");
  assert_error (dup, 409, "k-1");
  plain_custom = api (f, "POST", "profileAndServices/profile", "{\"cusTier\":\"gold\"}");
  assert_error (plain_custom, 400, "'cusTier'");
  empty_keys = api (f, "POST", "profileAndServices/profile", "{\"email\":\"\"}");
  empty_keys2 = api (f, "POST", "profileAndServices/profile", "{\"externalId\":\"\"}");
  g_assert_cmpuint (empty_keys->status, ==, 201);
  g_assert_cmpuint (empty_keys2->status, ==, 201);
}

static void
test_profile_unicode (Fixture *f, gconstpointer data)
{
  g_autofree char *p1 = create_profile (f, "{\"firstName\":\"Jürgen\",\"lastName\":\"Müller\","
                                           "\"email\":\"juergen.mueller@example.com\",\"externalId\":\"u-1\"}");
  g_autofree char *p2 = create_profile (f, "{\"firstName\":\"太郎\",\"lastName\":\"山田\","
                                           "\"email\":\"taro.yamada@example.jp\",\"externalId\":\"u-2\"}");
  g_autoptr(Response) r1 = api (f, "GET", "profileAndServicesExt/profile/u-1", NULL);
  g_autoptr(Response) r2 = api (f, "GET", "profileAndServicesExt/profile/u-2", NULL);
  g_autofree char *folded = g_uri_escape_string ("MÜLLER", NULL, FALSE);
  g_autofree char *search = g_strconcat ("profileAndServices/profile/byText?text=", folded, NULL);
  g_autofree char *kanji = g_uri_escape_string ("山田", NULL, FALSE);
  g_autofree char *search2 = g_strconcat ("profileAndServices/profile/byText?text=", kanji, NULL);
  g_autoptr(Response) s1 = api (f, "GET", search, NULL);
  g_autoptr(Response) s2 = api (f, "GET", search2, NULL);
  JsonArray *c1 = json_object_get_array_member (obj (s1), "content");
  JsonArray *c2 = json_object_get_array_member (obj (s2), "content");

  g_assert_cmpstr (str (obj (r1), "lastName"), ==, "Müller");
  g_assert_cmpstr (str (obj (r1), "firstName"), ==, "Jürgen");
  g_assert_cmpstr (str (obj (r2), "lastName"), ==, "山田");
  g_assert_cmpstr (str (obj (r2), "firstName"), ==, "太郎");
  g_assert_cmpuint (json_array_get_length (c1), ==, 1);
  g_assert_cmpstr (str (json_array_get_object_element (c1, 0), "PKey"), ==, p1);
  g_assert_cmpuint (json_array_get_length (c2), ==, 1);
  g_assert_cmpstr (str (json_array_get_object_element (c2, 0), "PKey"), ==, p2);
}

static void
create_many (Fixture *f,
             guint    n)
{
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *body = g_strdup_printf ("{\"email\":\"p%02u@example.com\",\"lastName\":\"L%02u\","
                                               "\"firstName\":\"%s\",\"externalId\":\"ext-%02u\"}",
                                               i, (i * 7) % n, i % 2 ? "Odd" : "Even", i);
      g_autofree char *pkey = create_profile (f, body);
    }
}

/* Follows next.href from @path; returns every PKey read, in order. */
static GPtrArray *
read_all_pages (Fixture    *f,
                const char *path,
                guint       page_size,
                guint      *n_pages)
{
  GPtrArray *pkeys = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *href = g_strdup (path);

  *n_pages = 0;
  while (href != NULL)
    {
      g_autoptr(Response) r = api (f, "GET", href, NULL);
      JsonObject *o = obj (r);
      JsonArray *content = json_object_get_array_member (o, "content");

      g_assert_cmpuint (r->status, ==, 200);
      g_assert_true (json_object_has_member (json_object_get_object_member (o, "count"), "href"));
      g_assert_cmpuint (json_array_get_length (content), <=, page_size);
      for (guint i = 0; i < json_array_get_length (content); i++)
        g_ptr_array_add (pkeys, g_strdup (str (json_array_get_object_element (content, i), "PKey")));
      g_clear_pointer (&href, g_free);
      if (json_object_has_member (o, "next"))
        {
          href = g_strdup (str (json_object_get_object_member (o, "next"), "href"));
          g_assert_nonnull (strstr (href, "_lineStart="));
          g_assert_true (g_str_has_prefix (href, f->api));
        }
      (*n_pages)++;
      g_assert_cmpuint (*n_pages, <, 100);
    }
  return pkeys;
}

static void
test_paging (Fixture *f, gconstpointer data)
{
  g_autoptr(GPtrArray) pkeys = NULL;
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(Response) count = NULL, first = NULL, big = NULL, forced = NULL, settings = NULL;
  g_autoptr(GPtrArray) forced_all = NULL;
  guint pages;

  create_many (f, 53);
  pkeys = read_all_pages (f, "profileAndServices/profile?_lineCount=10&_order=email", 10, &pages);
  g_assert_cmpuint (pkeys->len, ==, 53);
  g_assert_cmpuint (pages, ==, 6);
  for (guint i = 0; i < pkeys->len; i++)
    g_assert_true (g_hash_table_add (seen, g_ptr_array_index (pkeys, i)));

  count = api (f, "GET", "profileAndServices/profile/_count", NULL);
  g_assert_cmpint (json_object_get_int_member (obj (count), "count"), ==, 53);
  first = api (f, "GET", "profileAndServices/profile", NULL);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (obj (first), "content")), ==, 25);
  g_assert_nonnull (strstr (str (json_object_get_object_member (obj (first), "next"), "href"),
                            "_lineStart=25"));

  /* Past the big-table threshold, next only with _forcePagination. */
  settings = admin (f, "POST", "settings", "{\"big_table_threshold\":20}");
  g_assert_cmpuint (settings->status, ==, 200);
  big = api (f, "GET", "profileAndServices/profile?_lineCount=10", NULL);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (obj (big), "content")), ==, 10);
  g_assert_false (json_object_has_member (obj (big), "next"));
  forced = api (f, "GET", "profileAndServices/profile?_lineCount=10&_forcePagination=true", NULL);
  g_assert_nonnull (strstr (str (json_object_get_object_member (obj (forced), "next"), "href"),
                            "_forcePagination=true"));
  forced_all = read_all_pages (f, "profileAndServices/profile?_lineCount=20&_forcePagination=true", 20, &pages);
  g_assert_cmpuint (forced_all->len, ==, 53);
}

static GPtrArray *
list_member (Fixture    *f,
             const char *path,
             const char *member)
{
  g_autoptr(Response) r = api (f, "GET", path, NULL);
  GPtrArray *out = g_ptr_array_new_with_free_func (g_free);
  JsonArray *content;

  g_assert_cmpuint (r->status, ==, 200);
  content = json_object_get_array_member (obj (r), "content");
  for (guint i = 0; i < json_array_get_length (content); i++)
    g_ptr_array_add (out, g_strdup (str (json_array_get_object_element (content, i), member)));
  return out;
}

static void
test_order (Fixture *f, gconstpointer data)
{
  g_autoptr(GPtrArray) asc = NULL, desc = NULL, desc_space = NULL;
  g_autoptr(Response) bad = NULL;

  create_many (f, 12);
  asc = list_member (f, "profileAndServices/profile?_order=lastName", "lastName");
  desc = list_member (f, "profileAndServices/profile?_order=lastName%20desc", "lastName");
  desc_space = list_member (f, "profileAndServices/profile?_order=lastName+desc", "lastName");
  g_assert_cmpuint (asc->len, ==, 12);
  g_assert_cmpuint (desc->len, ==, 12);
  for (guint i = 0; i + 1 < asc->len; i++)
    {
      g_assert_cmpstr (g_ptr_array_index (asc, i), <, g_ptr_array_index (asc, i + 1));
      g_assert_cmpstr (g_ptr_array_index (desc, i), >, g_ptr_array_index (desc, i + 1));
    }
  for (guint i = 0; i < asc->len; i++)
    {
      g_assert_cmpstr (g_ptr_array_index (asc, i), ==, g_ptr_array_index (desc, asc->len - 1 - i));
      g_assert_cmpstr (g_ptr_array_index (desc, i), ==, g_ptr_array_index (desc_space, i));
    }
  bad = api (f, "GET", "profileAndServices/profile?_order=shoeSize", NULL);
  assert_error (bad, 400, "shoeSize");
}

static gboolean
clock_moved (Fixture *f, gpointer data)
{
  g_autoptr(Response) r = api (f, "PATCH", "profileAndServicesExt/profile/ext-03", "{\"phone\":\"+1 555\"}");
  g_autoptr(Response) got = api (f, "GET", "profileAndServicesExt/profile/ext-03", NULL);

  return strcmp (str (obj (got), "lastModified"), data) > 0;
}

static void
test_filters (Fixture *f, gconstpointer data)
{
  g_autoptr(GPtrArray) by_email = NULL, by_text = NULL, chained = NULL, by_ext = NULL;
  g_autoptr(GPtrArray) since = NULL, since_iso = NULL;
  g_autoptr(Response) count = NULL, plain_custom = NULL, unknown = NULL, bad_since = NULL;
  g_autoptr(Response) created = NULL, missing = NULL;
  g_autofree char *created_at = NULL, *modified_at = NULL, *since_path = NULL, *iso = NULL;
  g_autofree char *escaped = NULL, *iso_path = NULL;

  create_many (f, 10);
  by_email = list_member (f, "profileAndServices/profile/byEmail?email=P03@EXAMPLE.com", "email");
  g_assert_cmpuint (by_email->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (by_email, 0), ==, "p03@example.com");
  by_text = list_member (f, "profileAndServices/profile/byText?text=odd", "firstName");
  g_assert_cmpuint (by_text->len, ==, 5);
  chained = list_member (f, "profileAndServices/profile/byText/byEmail?text=odd&email=p03@example.com", "email");
  g_assert_cmpuint (chained->len, ==, 1);
  count = api (f, "GET", "profileAndServices/profile/byText/_count?text=even", NULL);
  g_assert_cmpint (json_object_get_int_member (obj (count), "count"), ==, 5);
  by_ext = list_member (f, "profileAndServicesExt/profile/byExternalId?externalId=ext-07", "externalId");
  g_assert_cmpuint (by_ext->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (by_ext, 0), ==, "ext-07");

  plain_custom = api (f, "GET", "profileAndServices/profile/byExternalId?externalId=ext-07", NULL);
  assert_error (plain_custom, 400, "byExternalId");
  unknown = api (f, "GET", "profileAndServicesExt/profile/byShoeSize?size=9", NULL);
  assert_error (unknown, 400, "byShoeSize");
  missing = api (f, "GET", "profileAndServices/profile/byEmail", NULL);
  assert_error (missing, 400, "'email'");

  /* byLastModifiedSince: only what changed at or after the given time. */
  /* Touch one profile until its lastModified passes every other one. */
  created = api (f, "GET", "profileAndServicesExt/profile?_order=lastModified%20desc", NULL);
  created_at = g_strdup (str (json_array_get_object_element (json_object_get_array_member (obj (created), "content"), 0),
                              "lastModified"));
  g_assert_true (wait_until (f, clock_moved, created_at, 10));
  {
    g_autoptr(Response) now = api (f, "GET", "profileAndServicesExt/profile/ext-03", NULL);

    modified_at = g_strdup (str (obj (now), "lastModified"));
  }
  escaped = g_uri_escape_string (modified_at, NULL, FALSE);
  since_path = g_strconcat ("profileAndServicesExt/profile/byLastModifiedSince?since=", escaped, NULL);
  since = list_member (f, since_path, "externalId");
  g_assert_cmpuint (since->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (since, 0), ==, "ext-03");
  iso = g_strdup (modified_at);
  iso[10] = 'T';
  iso_path = g_strconcat ("profileAndServicesExt/profile/byLastModifiedSince?since=", iso, NULL);
  since_iso = list_member (f, iso_path, "externalId");
  g_assert_cmpuint (since_iso->len, ==, 1);
  bad_since = api (f, "GET", "profileAndServicesExt/profile/byLastModifiedSince?since=yesterday", NULL);
  assert_error (bad_since, 400, "since");
}

/* ---- The custom resource and metadata -------------------------------- */

static void
test_custom_resource (Fixture *f, gconstpointer data)
{
  g_autoptr(Response) created = api (f, "POST", "customResources/cusMembership",
                                     "{\"cusMembershipId\":\"m-1\",\"cusName\":\"Gold – Zoë\","
                                     "\"cusLevel\":\"100000001\",\"cusStartDate\":\"2024-02-29\","
                                     "\"cusContactId\":\"c-9\"}");
  g_autoptr(Response) by_key = NULL, patched = NULL, rekey = NULL, dup = NULL, no_key = NULL;
  g_autoptr(Response) listed = NULL, dump = NULL, deleted = NULL, gone = NULL, bad_date = NULL;

  g_assert_cmpuint (created->status, ==, 201);
  g_assert_true (str (obj (created), "PKey")[0] == '@');
  g_assert_cmpstr (str (obj (created), "cusName"), ==, "Gold – Zoë");

  by_key = api (f, "GET", "customResources/cusMembership/m-1", NULL);
  g_assert_cmpuint (by_key->status, ==, 200);
  g_assert_cmpstr (str (obj (by_key), "PKey"), ==, str (obj (created), "PKey"));
  patched = api (f, "PATCH", "customResources/cusMembership/m-1", "{\"cusLevel\":\"100000002\"}");
  g_assert_cmpuint (patched->status, ==, 200);
  rekey = api (f, "PATCH", "customResources/cusMembership/m-1", "{\"cusMembershipId\":\"m-2\"}");
  assert_error (rekey, 400, "cusMembershipId");
  dup = api (f, "POST", "customResources/cusMembership", "{\"cusMembershipId\":\"m-1\"}");
  assert_error (dup, 409, "m-1");
  no_key = api (f, "POST", "customResources/cusMembership", "{\"cusName\":\"x\"}");
  assert_error (no_key, 400, "cusMembershipId");
  bad_date = api (f, "POST", "customResources/cusMembership",
                  "{\"cusMembershipId\":\"m-3\",\"cusStartDate\":\"2023-02-29\"}");
  assert_error (bad_date, 400, "cusStartDate");

  listed = api (f, "GET", "customResources/cusMembership/byCusMembershipId?cusMembershipId=m-1", NULL);
  g_assert_cmpstr (str (json_array_get_object_element (json_object_get_array_member (obj (listed), "content"), 0),
                        "cusLevel"), ==, "100000002");
  dump = admin (f, "GET", "resources/cusMembership", NULL);
  g_assert_cmpint (json_object_get_int_member (obj (dump), "count"), ==, 1);

  deleted = api (f, "DELETE", "customResources/cusMembership/m-1", NULL);
  g_assert_cmpuint (deleted->status, ==, 200);
  gone = api (f, "GET", "customResources/cusMembership/m-1", NULL);
  assert_error (gone, 404, NULL);
}

static JsonObject *
field_of (Response   *r,
          const char *name)
{
  JsonObject *content = json_object_get_object_member (obj (r), "content");

  return json_object_has_member (content, name) ? json_object_get_object_member (content, name) : NULL;
}

static void
test_metadata (Fixture *f, gconstpointer data)
{
  g_autoptr(Response) plain = api (f, "GET", "profileAndServices/resourceType/profile", NULL);
  g_autoptr(Response) ext = api (f, "GET", "profileAndServicesExt/resourceType/profile", NULL);
  g_autoptr(Response) custom = api (f, "GET", "customResources/resourceType/cusMembership", NULL);
  g_autoptr(Response) filters = NULL;
  JsonObject *email = field_of (plain, "email");

  g_assert_cmpuint (plain->status, ==, 200);
  g_assert_cmpstr (str (obj (plain), "name"), ==, "profile");
  g_assert_cmpstr (str (obj (plain), "key"), ==, "PKey");
  g_assert_cmpstr (str (email, "apiName"), ==, "email");
  g_assert_cmpstr (str (email, "type"), ==, "string");
  g_assert_cmpstr (str (email, "dataPolicy"), ==, "email");
  g_assert_cmpint (json_object_get_int_member (email, "length"), >, 0);
  g_assert_cmpstr (str (field_of (plain, "birthDate"), "type"), ==, "date");
  g_assert_cmpstr (str (field_of (plain, "denyListEmail"), "type"), ==, "boolean");
  g_assert_cmpstr (str (field_of (plain, "gender"), "type"), ==, "enumeration");
  g_assert_true (json_object_get_boolean_member (field_of (plain, "lastModified"), "readOnly"));
  g_assert_cmpstr (str (field_of (plain, "lastModified"), "type"), ==, "datetime");
  g_assert_null (field_of (plain, "cusTier"));

  g_assert_nonnull (field_of (ext, "cusTier"));
  g_assert_cmpstr (str (obj (ext), "key"), ==, "externalId");
  g_assert_cmpstr (str (obj (custom), "name"), ==, "cusMembership");
  g_assert_cmpstr (str (obj (custom), "key"), ==, "cusMembershipId");
  g_assert_cmpstr (str (field_of (custom, "cusStartDate"), "type"), ==, "date");

  filters = api (f, "GET", str (json_object_get_object_member (obj (ext), "filters"), "href"), NULL);
  g_assert_cmpuint (filters->status, ==, 200);
  g_assert_nonnull (field_of (filters, "byEmail"));
  g_assert_nonnull (field_of (filters, "byLastModifiedSince"));
}

/* ---- Journal and history --------------------------------------------- */

static Response *
journal (Fixture    *f,
         const char *url_or_query)
{
  g_autofree char *url = g_str_has_prefix (url_or_query, "http")
                         ? g_strdup (url_or_query)
                         : g_strconcat (f->base, "/events/journal", url_or_query, NULL);

  return send_full (f, "GET", url, NULL, NULL, CC_SANDBOX_API_KEY, f->token);
}

static char *
next_link (Response *r)
{
  const char *link = soup_message_headers_get_one (r->headers, "Link");
  const char *end;

  g_assert_nonnull (link);
  g_assert_nonnull (strstr (link, "rel=\"next\""));
  g_assert_true (link[0] == '<');
  end = strchr (link, '>');
  g_assert_nonnull (end);
  return g_strndup (link + 1, end - link - 1);
}

static void
test_journal (Fixture *f, gconstpointer data)
{
  g_autoptr(GPtrArray) positions = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *href = g_strdup ("?limit=10");
  g_autofree char *resume = NULL, *after_empty = NULL;
  g_autoptr(Response) empty = NULL, resumed = NULL, appended = NULL, fresh = NULL, bad = NULL;
  g_autoptr(Response) bad_limit = NULL, latest = NULL, generated = NULL, stats = NULL;
  guint pages = 0;

  /* Follow Link rel="next" until the journal answers 204. */
  for (;;)
    {
      g_autoptr(Response) r = journal (f, href);
      JsonArray *events;
      JsonObject *page;

      g_clear_pointer (&href, g_free);
      href = next_link (r);
      if (r->status == 204)
        {
          empty = g_steal_pointer (&r);
          break;
        }
      g_assert_cmpuint (r->status, ==, 200);
      assert_json_type (r);
      events = json_object_get_array_member (obj (r), "events");
      page = json_object_get_object_member (obj (r), "_page");
      g_assert_cmpuint (json_array_get_length (events), <=, 10);
      g_assert_cmpint (json_object_get_int_member (page, "count"), ==, json_array_get_length (events));
      for (guint i = 0; i < json_array_get_length (events); i++)
        {
          JsonObject *entry = json_array_get_object_element (events, i);
          JsonObject *event = json_object_get_object_member (entry, "event");

          g_ptr_array_add (positions, g_strdup (str (entry, "position")));
          g_ptr_array_add (ids, g_strdup (str (event, "id")));
          g_assert_nonnull (str (event, "externalId"));
          g_assert_nonnull (str (event, "type"));
        }
      g_assert_cmpstr (str (page, "last"), ==, g_ptr_array_index (positions, positions->len - 1));
      g_assert_nonnull (strstr (href, "limit=10"));
      g_assert_true (++pages < 10);
    }
  g_assert_cmpuint (pages, ==, 3);
  g_assert_cmpuint (ids->len, ==, 25);
  g_assert_cmpstr (empty->text, ==, "");
  g_assert_nonnull (soup_message_headers_get_one (empty->headers, "Retry-After"));

  /* since= resumes right after a position. */
  resume = g_strdup_printf ("?since=%s&limit=3", (char *) g_ptr_array_index (positions, 4));
  resumed = journal (f, resume);
  g_assert_cmpuint (resumed->status, ==, 200);
  {
    JsonArray *events = json_object_get_array_member (obj (resumed), "events");

    g_assert_cmpuint (json_array_get_length (events), ==, 3);
    g_assert_cmpstr (str (json_object_get_object_member (json_array_get_object_element (events, 0), "event"), "id"),
                     ==, g_ptr_array_index (ids, 5));
  }

  /* What the admin API appends shows up at the end, verbatim. */
  appended = admin (f, "POST", "events",
                    "{\"events\":[{\"id\":\"custom-1\",\"type\":\"open\",\"externalId\":\"x\"}]}");
  g_assert_cmpint (json_object_get_int_member (obj (appended), "count"), ==, 26);
  fresh = journal (f, href);
  g_assert_cmpuint (fresh->status, ==, 200);
  {
    JsonArray *events = json_object_get_array_member (obj (fresh), "events");
    JsonObject *event = json_object_get_object_member (json_array_get_object_element (events, 0), "event");

    g_assert_cmpuint (json_array_get_length (events), ==, 1);
    g_assert_cmpstr (str (event, "id"), ==, "custom-1");
    g_assert_cmpuint (json_object_get_size (event), ==, 3);
  }
  generated = admin (f, "POST", "events", "{\"generate\":4}");
  g_assert_cmpint (json_object_get_int_member (obj (generated), "count"), ==, 30);

  bad = journal (f, "?since=not-a-position");
  assert_error (bad, 400, "since");
  bad_limit = journal (f, "?limit=0");
  assert_error (bad_limit, 400, "limit");
  latest = journal (f, "?latest=true");
  g_assert_cmpuint (latest->status, ==, 204);
  after_empty = next_link (latest);
  g_assert_nonnull (strstr (after_empty, "since="));

  stats = admin (f, "GET", "stats", NULL);
  g_assert_cmpint (json_object_get_int_member (obj (stats), "events"), ==, 30);
}

static void
test_history (Fixture *f, gconstpointer data)
{
  g_autoptr(Response) page = journal (f, "?limit=100");
  JsonArray *events = json_object_get_array_member (obj (page), "events");
  JsonObject *first = json_object_get_object_member (json_array_get_object_element (events, 0), "event");
  const char *external_id = str (first, "externalId");
  g_autofree char *body = g_strdup_printf ("{\"externalId\":\"%s\"}", external_id);
  g_autofree char *pkey = create_profile (f, body);
  g_autofree char *path = g_strconcat ("profileAndServices/history/", pkey, NULL);
  g_autoptr(Response) history = api (f, "GET", path, NULL);
  g_autoptr(Response) list = NULL, unknown = NULL;
  JsonArray *content;
  guint expected = 0;

  for (guint i = 0; i < json_array_get_length (events); i++)
    {
      JsonObject *e = json_object_get_object_member (json_array_get_object_element (events, i), "event");

      expected += strcmp (str (e, "externalId"), external_id) == 0;
    }

  g_assert_cmpuint (history->status, ==, 200);
  list = api (f, "GET", str (json_object_get_object_member (obj (history), "events"), "href"), NULL);
  g_assert_cmpuint (list->status, ==, 200);
  content = json_object_get_array_member (obj (list), "content");
  g_assert_cmpuint (expected, >, 0);
  g_assert_cmpuint (json_array_get_length (content), ==, expected);
  for (guint i = 0; i < json_array_get_length (content); i++)
    {
      JsonObject *entry = json_array_get_object_element (content, i);

      g_assert_cmpstr (str (entry, "category"), ==, "email");
      g_assert_cmpstr (str (entry, "type"), ==, "outbound");
      g_assert_true (str (entry, "PKey")[0] == '@');
      g_assert_cmpuint (strlen (str (entry, "date")), ==, 24);
      g_assert_true (g_str_has_prefix (str (json_object_get_object_member (entry, "mirrorPage"), "href"),
                                       "https://"));
    }
  unknown = api (f, "GET", "profileAndServices/history/@nobody/events", NULL);
  assert_error (unknown, 404, NULL);
}

static guint
count_descriptors (void)
{
  g_autoptr(GDir) dir = g_dir_open ("/proc/self/fd", 0, NULL);
  guint n = 0;

  g_assert_nonnull (dir);
  while (g_dir_read_name (dir) != NULL)
    n++;
  return n;
}

static gboolean
descriptors_below (gpointer limit)
{
  return count_descriptors () < GPOINTER_TO_UINT (limit);
}

/* A libsoup client opens a new connection for a POST or PATCH it has not
 * marked idempotent, and closes idle ones to stay within its limit: the
 * sandbox (in this process) keeps connections alive, but must close its
 * end of each one the client closed (within a second or two), not keep
 * it for ever. */
static void
test_many_writes (Fixture *f, gconstpointer data)
{
  guint before = count_descriptors ();

  for (guint i = 0; i < 200; i++)
    {
      g_autofree char *body = g_strdup_printf ("{\"externalId\":\"w-%u\"}", i);
      g_autoptr(Response) r = api (f, "POST", "profileAndServicesExt/profile", body);

      g_assert_cmpuint (r->status, ==, 201);
    }
  g_assert_true (cc_test_wait_until (descriptors_below, GUINT_TO_POINTER (before + 50), 30));
}

/* ---- Admin, stats and faults ----------------------------------------- */

static void
test_admin_profiles (Fixture *f, gconstpointer data)
{
  g_autoptr(Response) created = admin (f, "POST", "profiles",
                                       "{\"externalId\":\"a-1\",\"email\":\"a1@example.com\"}");
  g_autoptr(Response) got = admin (f, "GET", "profiles/a-1", NULL);
  g_autoptr(Response) patched = admin (f, "PATCH", "profiles/a-1", "{\"denyListEmail\":true}");
  g_autoptr(Response) via_api = api (f, "GET", "profileAndServicesExt/profile/a-1", NULL);
  g_autoptr(Response) all = admin (f, "GET", "profiles", NULL);
  g_autoptr(Response) bad = admin (f, "PATCH", "profiles/a-1", "{\"email\":\"nope\"}");
  g_autoptr(Response) deleted = admin (f, "DELETE", "profiles/a-1", NULL);
  g_autoptr(Response) gone = admin (f, "GET", "profiles/a-1", NULL);
  g_autoptr(Response) stats = admin (f, "GET", "stats", NULL);

  g_assert_cmpuint (created->status, ==, 201);
  g_assert_cmpuint (got->status, ==, 200);
  g_assert_cmpstr (str (obj (got), "email"), ==, "a1@example.com");
  g_assert_cmpuint (patched->status, ==, 200);
  g_assert_true (json_object_get_boolean_member (obj (via_api), "denyListEmail"));
  g_assert_cmpstr (str (obj (patched), "lastModified"), >=, str (obj (created), "lastModified"));
  g_assert_cmpint (json_object_get_int_member (obj (all), "count"), ==, 1);
  g_assert_cmpuint (bad->status, ==, 400);
  g_assert_cmpuint (deleted->status, ==, 204);
  g_assert_cmpuint (gone->status, ==, 404);
  g_assert_cmpint (json_object_get_int_member (obj (stats), "profiles"), ==, 0);
}

static void
test_stats (Fixture *f, gconstpointer data)
{
  g_autofree char *pkey = create_profile (f, "{\"externalId\":\"s-1\"}");
  g_autofree char *path = g_strconcat ("profileAndServices/profile/", pkey, NULL);
  g_autoptr(Response) r1 = api (f, "GET", path, NULL);
  g_autoptr(Response) r2 = api (f, "PATCH", path, "{\"firstName\":\"S\"}");
  g_autoptr(Response) r3 = api (f, "POST", "customResources/cusMembership", "{\"cusMembershipId\":\"m\"}");
  g_autoptr(Response) r4 = journal (f, "");
  g_autoptr(Response) r5 = api (f, "DELETE", "customResources/cusMembership/m", NULL);
  g_autoptr(Response) stats = admin (f, "GET", "stats", NULL);
  JsonObject *requests = json_object_get_object_member (obj (stats), "requests");

  g_assert_cmpuint (stats->status, ==, 200);
  /* The fixture's token, then POST, GET, PATCH, POST, journal, DELETE. */
  g_assert_cmpint (json_object_get_int_member (requests, "token"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (requests, "post"), ==, 2);
  g_assert_cmpint (json_object_get_int_member (requests, "get"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (requests, "patch"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (requests, "delete"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (requests, "journal"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (requests, "total"), ==, 7);
  g_assert_cmpint (json_object_get_int_member (requests, "throttled"), ==, 0);
  g_assert_cmpint (json_object_get_int_member (requests, "faulted"), ==, 0);
  g_assert_cmpint (json_object_get_int_member (obj (stats), "profiles"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (obj (stats), "resources"),
                                               "cusMembership"), ==, 0);
  g_assert_cmpint (json_object_get_int_member (obj (stats), "events"), ==, 25);
}

static void
test_faults (Fixture *f, gconstpointer data)
{
  g_autoptr(Response) set = admin (f, "POST", "faults", "{\"throttle_storm\":2,\"retry_after\":7}");
  g_autoptr(Response) t1 = api (f, "GET", "profileAndServices/profile", NULL);
  g_autoptr(Response) t2 = ims (f, CC_SANDBOX_API_KEY, CC_SANDBOX_SECRET);
  g_autoptr(Response) ok = api (f, "GET", "profileAndServices/profile", NULL);
  g_autoptr(Response) errors = admin (f, "POST", "faults", "{\"error_rate\":1.0}");
  g_autoptr(Response) e1 = api (f, "GET", "profileAndServices/profile", NULL);
  g_autoptr(Response) admin_ok = admin (f, "GET", "stats", NULL);
  g_autoptr(Response) reset = admin (f, "POST", "faults", "{\"reset\":true}");
  g_autoptr(Response) ok2 = api (f, "GET", "profileAndServices/profile", NULL);
  g_autoptr(Response) stats = admin (f, "GET", "stats", NULL);
  JsonObject *requests = json_object_get_object_member (obj (stats), "requests");

  g_assert_cmpuint (set->status, ==, 200);
  for (guint i = 0; i < 2; i++)
    {
      Response *r = i == 0 ? t1 : t2;

      g_assert_cmpuint (r->status, ==, 429);
      g_assert_cmpstr (soup_message_headers_get_one (r->headers, "Retry-After"), ==, "7");
      g_assert_nonnull (r->json);
    }
  g_assert_cmpuint (ok->status, ==, 200);
  g_assert_cmpuint (errors->status, ==, 200);
  g_assert_cmpuint (e1->status, ==, 502);
  assert_json_type (e1);
  g_assert_cmpint (json_object_get_int_member (obj (e1), "code"), ==, 502);
  g_assert_nonnull (str (obj (e1), "message"));
  g_assert_cmpuint (admin_ok->status, ==, 200);
  g_assert_cmpuint (reset->status, ==, 200);
  g_assert_cmpuint (ok2->status, ==, 200);
  g_assert_cmpint (json_object_get_int_member (requests, "throttled"), ==, 2);
  g_assert_cmpint (json_object_get_int_member (requests, "faulted"), ==, 1);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/sandbox/campaign/" path, Fixture, NULL, fixture_setup, func, fixture_teardown)

  ADD ("ims", test_ims);
  ADD ("gateway", test_gateway);
  ADD ("profile/crud", test_profile_crud);
  ADD ("profile/validation", test_profile_validation);
  ADD ("profile/unicode", test_profile_unicode);
  ADD ("profile/many-writes", test_many_writes);
  ADD ("list/paging", test_paging);
  ADD ("list/order", test_order);
  ADD ("list/filters", test_filters);
  ADD ("custom-resource", test_custom_resource);
  ADD ("metadata", test_metadata);
  ADD ("journal", test_journal);
  ADD ("history", test_history);
  ADD ("admin/profiles", test_admin_profiles);
  ADD ("admin/stats", test_stats);
  ADD ("faults", test_faults);

#undef ADD
  return g_test_run ();
}
