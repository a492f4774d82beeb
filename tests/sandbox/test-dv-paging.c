/* test-dv-paging.c — server-driven paging (nextLinks followed
 * verbatim) and change tracking (tracked reads, deltaLinks, deletions,
 * refused options, expired tokens).
 */
#include <string.h>

#include "dv-fixture.h"

#define MAXPAGE(n) "Prefer", "odata.maxpagesize=" #n

/* Follows nextLinks from @first until a page has none; checks each page
 * and returns every row seen, in order. Sets *delta_link when the last
 * page has one. */
static JsonArray *
read_all_pages (DvFixture   *f,
                const char  *first,
                guint        page_size,
                gboolean     tracking,
                guint       *n_pages,
                char       **delta_link)
{
  JsonArray *all = json_array_new ();
  g_autofree char *next = g_strdup (first);
  g_autofree char *prefer = g_strdup_printf ("odata.maxpagesize=%u%s", page_size,
                                             tracking ? ",odata.track-changes" : "");

  *n_pages = 0;
  while (next != NULL)
    {
      g_autoptr(DvReply) reply = dv_api (f, "GET", next, NULL, "Prefer", prefer, NULL);
      JsonObject *obj;
      JsonArray *value;
      const char *applied;

      if (reply->status != 200)
        g_error ("page %u: %u %s", *n_pages, reply->status, reply->text);
      obj = dv_reply_object (reply);
      value = dv_reply_value (reply);
      applied = soup_message_headers_get_list (reply->headers, "Preference-Applied");
      g_assert_nonnull (strstr (applied, "odata.maxpagesize="));
      if (tracking)
        g_assert_nonnull (strstr (applied, "odata.track-changes"));
      g_assert_cmpuint (json_array_get_length (value), <=, page_size);
      for (guint i = 0; i < json_array_get_length (value); i++)
        json_array_add_element (all, json_node_copy (json_array_get_element (value, i)));
      (*n_pages)++;

      g_clear_pointer (&next, g_free);
      if (json_object_has_member (obj, "@odata.nextLink"))
        {
          next = g_strdup (json_object_get_string_member (obj, "@odata.nextLink"));
          /* An absolute link, after the rows, on a full page. */
          g_assert_true (g_str_has_prefix (next, f->api));
          g_assert_true (strstr (reply->text, "\"value\"") < strstr (reply->text, "\"@odata.nextLink\""));
          g_assert_cmpuint (json_array_get_length (value), ==, page_size);
          g_assert_false (json_object_has_member (obj, "@odata.deltaLink"));
        }
      else if (delta_link != NULL && json_object_has_member (obj, "@odata.deltaLink"))
        *delta_link = g_strdup (json_object_get_string_member (obj, "@odata.deltaLink"));
    }
  return all;
}

static GHashTable *
ids_exactly_once (JsonArray  *rows,
                  const char *pk)
{
  GHashTable *seen = g_hash_table_new (g_str_hash, g_str_equal);

  for (guint i = 0; i < json_array_get_length (rows); i++)
    {
      const char *id = json_object_get_string_member (json_array_get_object_element (rows, i), pk);

      if (!g_hash_table_add (seen, (char *) id))
        g_error ("row %s returned twice", id);
    }
  return seen;
}

static void
test_paging (DvFixture     *f,
             gconstpointer  data)
{
  g_autoptr(JsonArray) all = NULL;
  g_autoptr(GHashTable) seen = NULL;
  guint pages = 0;

  all = read_all_pages (f, "contacts?$select=fullname", 100, FALSE, &pages, NULL);
  seen = ids_exactly_once (all, "contactid");
  g_assert_cmpuint (g_hash_table_size (seen), ==, 1100);
  g_assert_cmpuint (pages, ==, 11);

  /* With a filter and an order, across pages. */
  {
    g_autoptr(JsonArray) sorted = read_all_pages (f, "contacts?$select=lastname,firstname&$filter=statecode%20eq%200"
                                                  "&$orderby=lastname,firstname%20desc", 70, FALSE, &pages, NULL);
    g_autoptr(GHashTable) sorted_seen = ids_exactly_once (sorted, "contactid");
    g_autoptr(DvReply) count = dv_api (f, "GET", "contacts/$count?$filter=statecode%20eq%200", NULL, NULL);

    g_assert_cmpuint (g_hash_table_size (sorted_seen), ==, g_ascii_strtoull (count->text, NULL, 10));
    g_assert_cmpuint (pages, >, 1);
    for (guint i = 1; i < json_array_get_length (sorted); i++)
      {
        g_autofree char *a = g_utf8_casefold (json_object_get_string_member (json_array_get_object_element (sorted, i - 1),
                                                                             "lastname"), -1);
        g_autofree char *b = g_utf8_casefold (json_object_get_string_member (json_array_get_object_element (sorted, i),
                                                                             "lastname"), -1);

        g_assert_cmpint (strcmp (a, b), <=, 0);
      }
  }

  /* A row created between two pages neither repeats nor hides another. */
  {
    g_autoptr(DvReply) first = dv_api (f, "GET", "contacts?$select=contactid", NULL, MAXPAGE (500), NULL);
    g_autoptr(DvReply) created = dv_admin (f, "POST", "tables/contacts", "{\"lastname\":\"Between\"}");
    g_autoptr(JsonArray) rest = NULL;
    g_autoptr(GHashTable) ids = NULL;
    JsonArray *value = dv_reply_value (first);

    g_assert_cmpuint (created->status, ==, 201);
    rest = read_all_pages (f, json_object_get_string_member (dv_reply_object (first), "@odata.nextLink"),
                           500, FALSE, &pages, NULL);
    for (guint i = 0; i < json_array_get_length (value); i++)
      json_array_add_element (rest, json_node_copy (json_array_get_element (value, i)));
    ids = ids_exactly_once (rest, "contactid");
    g_assert_cmpuint (g_hash_table_size (ids), ==, 1101);
  }

  /* A tampered $skiptoken is refused, not guessed at. */
  {
    g_autoptr(DvReply) bad = dv_api (f, "GET", "contacts?$skiptoken=garbage", NULL, NULL);

    dv_assert_error (bad, 400, "0x80060888", "$skiptoken");
  }
}

/* ---- change tracking ---------------------------------------------------- */

static void
admin_ok (DvFixture  *f,
          const char *method,
          const char *path,
          const char *body,
          guint       status)
{
  g_autoptr(DvReply) reply = dv_admin (f, method, path, body);

  if (reply->status != status)
    g_error ("%s %s: %u %s", method, path, reply->status, reply->text);
}

static void
test_change_tracking (DvFixture     *f,
                      gconstpointer  data)
{
  g_autofree char *delta = NULL;
  g_autofree char *delta2 = NULL;
  g_autoptr(JsonArray) initial = NULL;
  g_autoptr(GHashTable) seen = NULL;
  guint pages = 0;
  const char *kept, *changed, *removed;
  g_autofree char *created_id = NULL;
  g_autofree char *ephemeral_id = NULL;
  g_autofree char *path = NULL;

  initial = read_all_pages (f, "new_memberships?$select=new_name", 7, TRUE, &pages, &delta);
  seen = ids_exactly_once (initial, "new_membershipid");
  g_assert_cmpuint (g_hash_table_size (seen), ==, 30);
  g_assert_cmpuint (pages, ==, 5);
  g_assert_nonnull (delta);
  g_assert_true (g_str_has_prefix (delta, f->api));
  g_assert_nonnull (strstr (delta, "$deltatoken="));
  g_assert_nonnull (strstr (delta, "$select=new_name"));

  kept = json_object_get_string_member (json_array_get_object_element (initial, 0), "new_membershipid");
  changed = json_object_get_string_member (json_array_get_object_element (initial, 1), "new_membershipid");
  removed = json_object_get_string_member (json_array_get_object_element (initial, 2), "new_membershipid");
  g_assert_nonnull (kept);

  /* Changes through the admin API are real changes. */
  {
    g_autoptr(DvReply) created = dv_admin (f, "POST", "tables/new_memberships",
                                           "{\"new_name\":\"Created\",\"new_level\":100000002}");
    g_autoptr(DvReply) ephemeral = dv_admin (f, "POST", "tables/new_memberships", "{\"new_name\":\"Short-lived\"}");

    created_id = g_strdup (json_object_get_string_member (dv_reply_object (created), "new_membershipid"));
    ephemeral_id = g_strdup (json_object_get_string_member (dv_reply_object (ephemeral), "new_membershipid"));
  }
  path = g_strconcat ("tables/new_memberships/", changed, NULL);
  admin_ok (f, "PATCH", path, "{\"new_name\":\"Renamed\"}", 200);
  g_free (path);
  path = g_strconcat ("tables/new_memberships/", removed, NULL);
  admin_ok (f, "DELETE", path, NULL, 204);
  g_free (path);
  path = g_strconcat ("tables/new_memberships/", ephemeral_id, NULL);
  admin_ok (f, "DELETE", path, NULL, 204);

  {
    g_autoptr(DvReply) reply = dv_api (f, "GET", delta, NULL, NULL);
    JsonObject *obj = dv_reply_object (reply);
    JsonArray *value = dv_reply_value (reply);
    JsonObject *first, *second;

    g_assert_cmpuint (reply->status, ==, 200);
    g_assert_true (g_str_has_suffix (json_object_get_string_member (obj, "@odata.context"), "/$delta"));
    g_assert_cmpuint (json_array_get_length (value), ==, 4);
    /* Creates and updates first, in the order they happened. */
    first = json_array_get_object_element (value, 0);
    second = json_array_get_object_element (value, 1);
    g_assert_cmpstr (json_object_get_string_member (first, "new_membershipid"), ==, created_id);
    g_assert_cmpstr (json_object_get_string_member (first, "new_name"), ==, "Created");
    g_assert_cmpuint (json_object_get_size (first), ==, 3);
    g_assert_true (json_object_has_member (first, "@odata.etag"));
    g_assert_cmpstr (json_object_get_string_member (second, "new_membershipid"), ==, changed);
    g_assert_cmpstr (json_object_get_string_member (second, "new_name"), ==, "Renamed");
    /* Then deletions, including a row created and deleted in between. */
    for (guint i = 2; i < 4; i++)
      {
        JsonObject *gone = json_array_get_object_element (value, i);

        g_assert_true (g_str_has_suffix (json_object_get_string_member (gone, "@odata.context"),
                                         "/$metadata#new_memberships/$deletedEntity"));
        g_assert_cmpstr (json_object_get_string_member (gone, "reason"), ==, "deleted");
        g_assert_cmpstr (json_object_get_string_member (gone, "id"), ==, i == 2 ? removed : ephemeral_id);
      }
    delta2 = g_strdup (json_object_get_string_member (obj, "@odata.deltaLink"));
    g_assert_cmpstr (delta2, !=, delta);
  }

  /* Nothing changed since: an empty page and a fresh deltaLink. */
  {
    g_autoptr(DvReply) reply = dv_api (f, "GET", delta2, NULL, NULL);

    g_assert_cmpuint (json_array_get_length (dv_reply_value (reply)), ==, 0);
    g_assert_true (json_object_has_member (dv_reply_object (reply), "@odata.deltaLink"));
  }

  /* Many changes come back paged. */
  {
    g_autoptr(JsonArray) changes = NULL;
    g_autoptr(GHashTable) ids = NULL;
    g_autofree char *delta3 = NULL;

    for (guint i = 3; i < 8; i++)
      {
        g_autofree char *p = g_strconcat ("tables/new_memberships/",
                                          json_object_get_string_member (json_array_get_object_element (initial, i),
                                                                         "new_membershipid"), NULL);

        admin_ok (f, "PATCH", p, "{\"new_level\":100000001}", 200);
      }
    changes = read_all_pages (f, delta2, 2, FALSE, &pages, &delta3);
    ids = ids_exactly_once (changes, "new_membershipid");
    g_assert_cmpuint (g_hash_table_size (ids), ==, 5);
    g_assert_cmpuint (pages, ==, 3);
    g_assert_nonnull (delta3);
  }
}

static void
test_change_tracking_refusals (DvFixture     *f,
                               gconstpointer  data)
{
  static const char *refused[][2] = {
    { "contacts?$filter=statecode%20eq%200", "$filter" },
    { "contacts?$orderby=lastname", "$orderby" },
    { "contacts?$top=3", "$top" },
    { "contacts?$expand=x", "$expand" },
  };
  g_autofree char *delta = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (refused); i++)
    {
      g_autoptr(DvReply) reply = dv_api (f, "GET", refused[i][0], NULL, "Prefer", "odata.track-changes", NULL);
      g_autofree char *message = g_strdup_printf ("The \"%s\" query parameter isn't supported when "
                                                  "Change Tracking is enabled.", refused[i][1]);

      dv_assert_error (reply, 400, "0x80060888", message);
    }

  /* A table without change tracking refuses it. */
  admin_ok (f, "POST", "tables/contacts/change-tracking", "{\"enabled\": false}", 200);
  {
    g_autoptr(DvReply) reply = dv_api (f, "GET", "contacts?$select=fullname", NULL, "Prefer", "odata.track-changes", NULL);
    g_autoptr(DvReply) meta = dv_api (f, "GET", "EntityDefinitions(LogicalName='contact')?$select=ChangeTrackingEnabled",
                                      NULL, NULL);

    dv_assert_error (reply, 400, "0x80060888", "Change tracking is not enabled for the entity 'contact'");
    g_assert_false (json_object_get_boolean_member (dv_reply_object (meta), "ChangeTrackingEnabled"));
  }
  admin_ok (f, "POST", "tables/contacts/change-tracking", "{\"enabled\": true}", 200);

  /* Expired tokens answer the documented code; a new full read works. */
  {
    g_autoptr(DvReply) full = dv_api (f, "GET", "contacts?$select=fullname", NULL, "Prefer", "odata.track-changes", NULL);
    g_autoptr(DvReply) expired = NULL;
    g_autoptr(DvReply) again = NULL;
    g_autoptr(DvReply) fresh = NULL;

    g_assert_cmpstr (soup_message_headers_get_list (full->headers, "Preference-Applied"), ==, "odata.track-changes");
    delta = g_strdup (json_object_get_string_member (dv_reply_object (full), "@odata.deltaLink"));
    admin_ok (f, "POST", "expire-delta-tokens", NULL, 200);
    expired = dv_api (f, "GET", delta, NULL, NULL);
    dv_assert_error (expired, 400, "0x80044352",
                     "Version stamp associated with the client has expired. Please perform a full sync.");
    again = dv_api (f, "GET", "contacts?$select=fullname", NULL, "Prefer", "odata.track-changes", NULL);
    g_assert_cmpuint (json_array_get_length (dv_reply_value (again)), ==, 60);
    fresh = dv_api (f, "GET", json_object_get_string_member (dv_reply_object (again), "@odata.deltaLink"), NULL, NULL);
    g_assert_cmpuint (fresh->status, ==, 200);
    g_assert_cmpuint (json_array_get_length (dv_reply_value (fresh)), ==, 0);
  }
}

/* The deltaLink @link with its token's time moved @days_ago into the
 * past (negative: into the future); @version replaces the version when
 * not NULL. */
static char *
link_stamped (const char *link,
              double      days_ago,
              const char *version)
{
  const char *param = strstr (link, "$deltatoken=");
  g_autofree char *token = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) then = g_date_time_add_seconds (now, -days_ago * 86400);
  g_autofree char *stamp = g_date_time_format (then, "%m/%d/%Y %H:%M:%S");
  g_autofree char *forged = NULL;
  g_autofree char *escaped = NULL;
  const char *bang;

  g_assert_nonnull (param);
  token = g_uri_unescape_string (param + strlen ("$deltatoken="), NULL);
  bang = strchr (token, '!');
  g_assert_nonnull (bang);
  forged = g_strdup_printf ("%.*s!%s", version ? (int) strlen (version) : (int) (bang - token),
                            version ? version : token, stamp);
  escaped = g_uri_escape_string (forged, NULL, FALSE);
  return g_strdup_printf ("%.*s%s", (int) (param + strlen ("$deltatoken=") - link), link, escaped);
}

static void
assert_expired (DvFixture  *f,
                const char *link)
{
  g_autoptr(DvReply) reply = dv_api (f, "GET", link, NULL, NULL);

  dv_assert_error (reply, 400, "0x80044352",
                   "Version stamp associated with the client has expired. Please perform a full sync.");
}

static guint
status_of (DvFixture  *f,
           const char *link)
{
  g_autoptr(DvReply) reply = dv_api (f, "GET", link, NULL, NULL);

  return reply->status;
}

/* Change tokens expire by age: Organization.ExpireChangeTrackingInDays,
 * 7 by default (notes §5); the retention is the sandbox's option. */
static void
test_token_retention (DvFixture     *f,
                      gconstpointer  data)
{
  const DvFixtureConfig *config = data;
  double retention = config && config->change_retention_days ? config->change_retention_days : 7;
  g_autoptr(DvReply) full = dv_api (f, "GET", "contacts?$select=fullname", NULL,
                                    "Prefer", "odata.track-changes", NULL);
  const char *link = json_object_get_string_member (dv_reply_object (full), "@odata.deltaLink");
  g_autofree char *young = link_stamped (link, retention - 0.5, NULL);
  g_autofree char *old = link_stamped (link, retention + 0.5, NULL);
  g_autofree char *ancient = link_stamped (link, 2000, "1");
  g_autofree char *future = link_stamped (link, -1, NULL);
  g_autofree char *unstamped = NULL;
  g_autoptr(DvReply) invalid = NULL;
  g_autoptr(DvReply) ahead = NULL;

  g_assert_cmpuint (status_of (f, link), ==, 200);
  g_assert_cmpuint (status_of (f, young), ==, 200);
  assert_expired (f, old);
  /* A forged token from years ago is refused, never answered in full. */
  assert_expired (f, ancient);

  ahead = dv_api (f, "GET", future, NULL, NULL);
  dv_assert_error (ahead, 400, "0x80060888", "is not valid");
  unstamped = g_strdup_printf ("%.*s1", (int) (strstr (link, "$deltatoken=") + strlen ("$deltatoken=") - link),
                               link);
  invalid = dv_api (f, "GET", unstamped, NULL, NULL);
  dv_assert_error (invalid, 400, "0x80060888", "is not valid");
}

void
dv_add_paging_tests (void)
{
  static const DvFixtureConfig big = { 1100, 0, 0, 0 };
  static const DvFixtureConfig short_retention = { 0, 0, 0, 0, 2 };

  g_test_add ("/sandbox/dataverse/query/paging", DvFixture, &big,
              dv_fixture_setup, test_paging, dv_fixture_teardown);
  g_test_add ("/sandbox/dataverse/change-tracking/delta", DvFixture, NULL,
              dv_fixture_setup, test_change_tracking, dv_fixture_teardown);
  g_test_add ("/sandbox/dataverse/change-tracking/refusals", DvFixture, NULL,
              dv_fixture_setup, test_change_tracking_refusals, dv_fixture_teardown);
  g_test_add ("/sandbox/dataverse/change-tracking/retention", DvFixture, NULL,
              dv_fixture_setup, test_token_retention, dv_fixture_teardown);
  g_test_add ("/sandbox/dataverse/change-tracking/retention-option", DvFixture, &short_retention,
              dv_fixture_setup, test_token_retention, dv_fixture_teardown);
}
