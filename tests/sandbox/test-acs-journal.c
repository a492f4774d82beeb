/* test-acs-journal.c — the I/O Events journal and marketing history
 * of the Campaign Standard emulator, and its admin API, stats and faults.
 */
#include <string.h>

#include "acs-fixture.h"

static AcsResponse *
journal (AcsFixture *f,
         const char *url_or_query)
{
  g_autofree char *url = g_str_has_prefix (url_or_query, "http")
                         ? g_strdup (url_or_query)
                         : g_strconcat (f->base, "/events/journal", url_or_query, NULL);

  return acs_send (f, "GET", url, NULL, NULL, CC_SANDBOX_API_KEY, f->token);
}

static char *
next_link (AcsResponse *r)
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
test_journal (AcsFixture *f, gconstpointer data)
{
  g_autoptr(GPtrArray) positions = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *href = g_strdup ("?limit=10");
  g_autofree char *resume = NULL, *after_empty = NULL;
  g_autoptr(AcsResponse) empty = NULL, resumed = NULL, appended = NULL, fresh = NULL, bad = NULL;
  g_autoptr(AcsResponse) bad_limit = NULL, latest = NULL, generated = NULL, stats = NULL;
  guint pages = 0;

  /* Follow Link rel="next" until the journal answers 204. */
  for (;;)
    {
      g_autoptr(AcsResponse) r = journal (f, href);
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
      acs_assert_json_type (r);
      events = json_object_get_array_member (acs_obj (r), "events");
      page = json_object_get_object_member (acs_obj (r), "_page");
      g_assert_cmpuint (json_array_get_length (events), <=, 10);
      g_assert_cmpint (json_object_get_int_member (page, "count"), ==, json_array_get_length (events));
      for (guint i = 0; i < json_array_get_length (events); i++)
        {
          JsonObject *entry = json_array_get_object_element (events, i);
          JsonObject *event = json_object_get_object_member (entry, "event");

          g_ptr_array_add (positions, g_strdup (acs_str (entry, "position")));
          g_ptr_array_add (ids, g_strdup (acs_str (event, "id")));
          g_assert_nonnull (acs_str (event, "externalId"));
          g_assert_nonnull (acs_str (event, "type"));
        }
      g_assert_cmpstr (acs_str (page, "last"), ==, g_ptr_array_index (positions, positions->len - 1));
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
    JsonArray *events = json_object_get_array_member (acs_obj (resumed), "events");

    g_assert_cmpuint (json_array_get_length (events), ==, 3);
    g_assert_cmpstr (acs_str (json_object_get_object_member (json_array_get_object_element (events, 0), "event"), "id"),
                     ==, g_ptr_array_index (ids, 5));
  }

  /* What the admin API appends shows up at the end, verbatim. */
  appended = acs_admin (f, "POST", "events",
                        "{\"events\":[{\"id\":\"custom-1\",\"type\":\"open\",\"externalId\":\"x\"}]}");
  g_assert_cmpint (json_object_get_int_member (acs_obj (appended), "count"), ==, 26);
  fresh = journal (f, href);
  g_assert_cmpuint (fresh->status, ==, 200);
  {
    JsonArray *events = json_object_get_array_member (acs_obj (fresh), "events");
    JsonObject *event = json_object_get_object_member (json_array_get_object_element (events, 0), "event");

    g_assert_cmpuint (json_array_get_length (events), ==, 1);
    g_assert_cmpstr (acs_str (event, "id"), ==, "custom-1");
    g_assert_cmpuint (json_object_get_size (event), ==, 3);
  }
  generated = acs_admin (f, "POST", "events", "{\"generate\":4}");
  g_assert_cmpint (json_object_get_int_member (acs_obj (generated), "count"), ==, 30);

  bad = journal (f, "?since=not-a-position");
  acs_assert_error (bad, 400, "since");
  bad_limit = journal (f, "?limit=0");
  acs_assert_error (bad_limit, 400, "limit");
  latest = journal (f, "?latest=true");
  g_assert_cmpuint (latest->status, ==, 204);
  after_empty = next_link (latest);
  g_assert_nonnull (strstr (after_empty, "since="));

  stats = acs_admin (f, "GET", "stats", NULL);
  g_assert_cmpint (json_object_get_int_member (acs_obj (stats), "events"), ==, 30);
}

/* The externalId with the most sends among @events, and how many. */
static const char *
busiest_recipient (JsonArray *events,
                   guint     *n_sends)
{
  g_autoptr(GHashTable) counts = g_hash_table_new (g_str_hash, g_str_equal);
  const char *best = NULL;

  *n_sends = 0;
  for (guint i = 0; i < json_array_get_length (events); i++)
    {
      JsonObject *e = json_object_get_object_member (json_array_get_object_element (events, i), "event");
      const char *id = acs_str (e, "externalId");
      guint n;

      if (strcmp (acs_str (e, "type"), "send") != 0)
        continue;
      n = GPOINTER_TO_UINT (g_hash_table_lookup (counts, id)) + 1;
      g_hash_table_insert (counts, (gpointer) id, GUINT_TO_POINTER (n));
      if (n > *n_sends)
        {
          *n_sends = n;
          best = id;
        }
    }
  return best;
}

/* Adobe's documented entry, and nothing more: no member says which email
 * event it was. */
static void
assert_documented_entry (JsonObject *entry)
{
  static const char * const documented[] = {
    "PKey", "category", "date", "href", "label", "mirrorPage", "type", NULL
  };
  g_autoptr(GList) members = json_object_get_members (entry);

  for (GList *l = members; l != NULL; l = l->next)
    if (!g_strv_contains (documented, l->data))
      g_error ("a history entry carries the undocumented member “%s”", (const char *) l->data);
  g_assert_cmpuint (g_list_length (members), ==, g_strv_length ((char **) documented));
  g_assert_cmpstr (acs_str (entry, "category"), ==, "email");
  g_assert_cmpstr (acs_str (entry, "type"), ==, "outbound");
  g_assert_true (acs_str (entry, "PKey")[0] == '@');
  g_assert_cmpuint (strlen (acs_str (entry, "date")), ==, 24);
  g_assert_true (g_str_has_prefix (acs_str (json_object_get_object_member (entry, "mirrorPage"), "href"),
                                   "https://"));
}

/* Follows next.href from @href one entry a page; returns the entries. */
static GPtrArray *
read_history (AcsFixture *f,
              const char *href)
{
  GPtrArray *entries = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  g_autofree char *url = g_strconcat (href, "?_lineCount=1", NULL);

  while (url != NULL)
    {
      g_autoptr(AcsResponse) r = acs_api (f, "GET", url, NULL);
      JsonArray *content = json_object_get_array_member (acs_obj (r), "content");

      g_assert_cmpuint (r->status, ==, 200);
      g_assert_cmpuint (json_array_get_length (content), <=, 1);
      for (guint i = 0; i < json_array_get_length (content); i++)
        g_ptr_array_add (entries, json_object_ref (json_array_get_object_element (content, i)));
      g_clear_pointer (&url, g_free);
      if (json_object_has_member (acs_obj (r), "next"))
        url = g_strdup (acs_str (json_object_get_object_member (acs_obj (r), "next"), "href"));
      g_assert_cmpuint (entries->len, <, 100);
    }
  return entries;
}

static void
test_history (AcsFixture *f, gconstpointer data)
{
  g_autoptr(AcsResponse) page = journal (f, "?limit=100");
  JsonArray *events = json_object_get_array_member (acs_obj (page), "events");
  guint expected;
  const char *external_id = busiest_recipient (events, &expected);
  g_autofree char *body = g_strdup_printf ("{\"externalId\":\"%s\"}", external_id);
  g_autofree char *pkey = acs_create_profile (f, body);
  g_autofree char *path = g_strconcat ("profileAndServices/history/", pkey, NULL);
  g_autoptr(AcsResponse) history = acs_api (f, "GET", path, NULL);
  g_autoptr(AcsResponse) first = NULL, count = NULL, one = NULL, unknown = NULL, made_up = NULL;
  g_autoptr(GPtrArray) entries = NULL;
  g_autofree char *events_href = NULL, *made_up_href = NULL;

  g_assert_nonnull (external_id);
  /* Two more messages to that profile, and an open of one of them. */
  for (guint i = 0; i < 3; i++)
    {
      g_autofree char *event = g_strdup_printf ("{\"events\":[{\"id\":\"extra-%u\",\"type\":\"%s\","
                                                "\"externalId\":\"%s\",\"timestamp\":\"2024-05-0%uT10:00:00Z\","
                                                "\"deliveryName\":\"Spring sale\","
                                                "\"mirrorPageUrl\":\"https://mirror.example.com/%u\"}]}",
                                                i, i < 2 ? "send" : "open", external_id, i + 1, i);
      g_autoptr(AcsResponse) appended = acs_admin (f, "POST", "events", event);

      g_assert_cmpuint (appended->status, ==, 200);
    }
  expected += 2;
  g_assert_cmpuint (history->status, ==, 200);
  events_href = g_strdup (acs_str (json_object_get_object_member (acs_obj (history), "events"), "href"));

  /* Only the sends are history: one entry per message sent. */
  entries = read_history (f, events_href);
  g_assert_cmpuint (entries->len, ==, expected);
  for (guint i = 0; i < entries->len; i++)
    assert_documented_entry (g_ptr_array_index (entries, i));
  first = acs_api (f, "GET", events_href, NULL);
  g_assert_false (json_object_has_member (acs_obj (first), "next"));
  count = acs_api (f, "GET", acs_str (json_object_get_object_member (acs_obj (first), "count"), "href"), NULL);
  g_assert_cmpint (json_object_get_int_member (acs_obj (count), "count"), ==, expected);
  one = acs_api (f, "GET", acs_str (g_ptr_array_index (entries, 1), "href"), NULL);
  g_assert_cmpstr (acs_str (acs_obj (one), "PKey"), ==, acs_str (g_ptr_array_index (entries, 1), "PKey"));

  /* The history pages like any list: _lineStart is the server's. */
  made_up_href = g_strconcat (events_href, "?_lineCount=1&_lineStart=1", NULL);
  made_up = acs_api (f, "GET", made_up_href, NULL);
  acs_assert_error (made_up, 400, "_lineStart");

  unknown = acs_api (f, "GET", "profileAndServices/history/@nobody/events", NULL);
  acs_assert_error (unknown, 404, NULL);
}

/* ---- Admin, stats and faults ----------------------------------------- */

static void
test_admin_profiles (AcsFixture *f, gconstpointer data)
{
  g_autoptr(AcsResponse) created = acs_admin (f, "POST", "profiles",
                                              "{\"externalId\":\"a-1\",\"email\":\"a1@example.com\"}");
  g_autoptr(AcsResponse) got = acs_admin (f, "GET", "profiles/a-1", NULL);
  g_autoptr(AcsResponse) patched = acs_admin (f, "PATCH", "profiles/a-1", "{\"denyListEmail\":true}");
  g_autoptr(AcsResponse) via_api = acs_api (f, "GET", "profileAndServicesExt/profile/a-1", NULL);
  g_autoptr(AcsResponse) all = acs_admin (f, "GET", "profiles", NULL);
  g_autoptr(AcsResponse) bad = acs_admin (f, "PATCH", "profiles/a-1", "{\"email\":\"nope\"}");
  g_autoptr(AcsResponse) deleted = acs_admin (f, "DELETE", "profiles/a-1", NULL);
  g_autoptr(AcsResponse) gone = acs_admin (f, "GET", "profiles/a-1", NULL);
  g_autoptr(AcsResponse) stats = acs_admin (f, "GET", "stats", NULL);

  g_assert_cmpuint (created->status, ==, 201);
  g_assert_cmpuint (got->status, ==, 200);
  g_assert_cmpstr (acs_str (acs_obj (got), "email"), ==, "a1@example.com");
  g_assert_cmpuint (patched->status, ==, 200);
  g_assert_true (json_object_get_boolean_member (acs_obj (via_api), "denyListEmail"));
  g_assert_cmpstr (acs_str (acs_obj (patched), "lastModified"), >=, acs_str (acs_obj (created), "lastModified"));
  g_assert_cmpint (json_object_get_int_member (acs_obj (all), "count"), ==, 1);
  g_assert_cmpuint (bad->status, ==, 400);
  g_assert_cmpuint (deleted->status, ==, 204);
  g_assert_cmpuint (gone->status, ==, 404);
  g_assert_cmpint (json_object_get_int_member (acs_obj (stats), "profiles"), ==, 0);
}

static void
test_stats (AcsFixture *f, gconstpointer data)
{
  g_autofree char *pkey = acs_create_profile (f, "{\"externalId\":\"s-1\"}");
  g_autofree char *path = g_strconcat ("profileAndServices/profile/", pkey, NULL);
  g_autoptr(AcsResponse) r1 = acs_api (f, "GET", path, NULL);
  g_autoptr(AcsResponse) r2 = acs_api (f, "PATCH", path, "{\"firstName\":\"S\"}");
  g_autoptr(AcsResponse) r3 = acs_api (f, "POST", "customResources/cusMembership", "{\"cusMembershipId\":\"m\"}");
  g_autoptr(AcsResponse) r4 = journal (f, "");
  g_autoptr(AcsResponse) r5 = acs_api (f, "DELETE", "customResources/cusMembership/m", NULL);
  g_autoptr(AcsResponse) stats = acs_admin (f, "GET", "stats", NULL);
  JsonObject *requests = json_object_get_object_member (acs_obj (stats), "requests");

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
  g_assert_cmpint (json_object_get_int_member (acs_obj (stats), "profiles"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (acs_obj (stats), "resources"),
                                               "cusMembership"), ==, 0);
  g_assert_cmpint (json_object_get_int_member (acs_obj (stats), "events"), ==, 25);
}

static void
test_faults (AcsFixture *f, gconstpointer data)
{
  g_autoptr(AcsResponse) set = acs_admin (f, "POST", "faults", "{\"throttle_storm\":2,\"retry_after\":7}");
  g_autoptr(AcsResponse) t1 = acs_api (f, "GET", "profileAndServices/profile", NULL);
  g_autoptr(AcsResponse) t2 = acs_ims (f, CC_SANDBOX_API_KEY, CC_SANDBOX_SECRET);
  g_autoptr(AcsResponse) ok = acs_api (f, "GET", "profileAndServices/profile", NULL);
  g_autoptr(AcsResponse) errors = acs_admin (f, "POST", "faults", "{\"error_rate\":1.0}");
  g_autoptr(AcsResponse) e1 = acs_api (f, "GET", "profileAndServices/profile", NULL);
  g_autoptr(AcsResponse) admin_ok = acs_admin (f, "GET", "stats", NULL);
  g_autoptr(AcsResponse) reset = acs_admin (f, "POST", "faults", "{\"reset\":true}");
  g_autoptr(AcsResponse) ok2 = acs_api (f, "GET", "profileAndServices/profile", NULL);
  g_autoptr(AcsResponse) stats = acs_admin (f, "GET", "stats", NULL);
  JsonObject *requests = json_object_get_object_member (acs_obj (stats), "requests");

  g_assert_cmpuint (set->status, ==, 200);
  for (guint i = 0; i < 2; i++)
    {
      AcsResponse *r = i == 0 ? t1 : t2;

      g_assert_cmpuint (r->status, ==, 429);
      g_assert_cmpstr (soup_message_headers_get_one (r->headers, "Retry-After"), ==, "7");
      g_assert_nonnull (r->json);
    }
  g_assert_cmpuint (ok->status, ==, 200);
  g_assert_cmpuint (errors->status, ==, 200);
  g_assert_cmpuint (e1->status, ==, 502);
  acs_assert_json_type (e1);
  g_assert_cmpint (json_object_get_int_member (acs_obj (e1), "code"), ==, 502);
  g_assert_nonnull (acs_str (acs_obj (e1), "message"));
  g_assert_cmpuint (admin_ok->status, ==, 200);
  g_assert_cmpuint (reset->status, ==, 200);
  g_assert_cmpuint (ok2->status, ==, 200);
  g_assert_cmpint (json_object_get_int_member (requests, "throttled"), ==, 2);
  g_assert_cmpint (json_object_get_int_member (requests, "faulted"), ==, 1);
}

void
acs_add_journal_tests (void)
{
  ACS_ADD ("journal", test_journal);
  ACS_ADD ("history", test_history);
  ACS_ADD ("admin/profiles", test_admin_profiles);
  ACS_ADD ("admin/stats", test_stats);
  ACS_ADD ("faults", test_faults);
}
