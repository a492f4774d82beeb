/* test-acs-profiles.c — profiles in the Campaign Standard emulator:
 * CRUD, validation, Unicode, many writes, paging, sorting and filters.
 */
#include <string.h>

#include "acs-fixture.h"
#include "cc-test-util.h"

static void
test_profile_crud (AcsFixture *f, gconstpointer data)
{
  g_autoptr(AcsResponse) created = acs_api (f, "POST", "profileAndServicesExt/profile",
                                            "{\"email\":\"anna.becker@example.com\",\"firstName\":\"Anna\","
                                            "\"lastName\":\"Becker\",\"birthDate\":\"1980-10-24\","
                                            "\"externalId\":\"c-1\",\"cusTier\":\"gold\"}");
  JsonObject *o = acs_obj (created);
  g_autofree char *pkey = g_strdup (acs_str (o, "PKey"));
  g_autofree char *by_pkey = g_strconcat ("profileAndServices/profile/", pkey, NULL);
  g_autoptr(AcsResponse) got = NULL, by_key = NULL, plain_key = NULL, patched = NULL, after = NULL;
  g_autoptr(AcsResponse) deleted = NULL, gone = NULL;
  g_autoptr(GRegex) time_re = g_regex_new ("^\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z$", 0, 0, NULL);

  g_assert_cmpuint (created->status, ==, 201);
  acs_assert_json_type (created);
  g_assert_true (pkey[0] == '@' && strlen (pkey) > 20);
  g_assert_true (g_str_has_suffix (acs_str (o, "href"), pkey));
  g_assert_true (g_str_has_prefix (acs_str (o, "href"), f->api));
  g_assert_true (g_regex_match (time_re, acs_str (o, "created"), 0, NULL));
  g_assert_true (g_regex_match (time_re, acs_str (o, "lastModified"), 0, NULL));
  g_assert_cmpstr (acs_str (o, "gender"), ==, "unknown");
  g_assert_false (json_object_get_boolean_member (o, "denyList"));
  g_assert_cmpstr (acs_str (o, "cusTier"), ==, "gold");

  got = acs_api (f, "GET", by_pkey, NULL);
  g_assert_cmpuint (got->status, ==, 200);
  g_assert_cmpstr (acs_str (acs_obj (got), "email"), ==, "anna.becker@example.com");
  g_assert_cmpstr (acs_str (acs_obj (got), "birthDate"), ==, "1980-10-24");
  g_assert_false (json_object_has_member (acs_obj (got), "cusTier"));

  /* The custom key addresses the record in the Ext view only. */
  by_key = acs_api (f, "GET", "profileAndServicesExt/profile/c-1", NULL);
  g_assert_cmpuint (by_key->status, ==, 200);
  g_assert_cmpstr (acs_str (acs_obj (by_key), "PKey"), ==, pkey);
  plain_key = acs_api (f, "GET", "profileAndServices/profile/c-1", NULL);
  acs_assert_error (plain_key, 404, NULL);

  patched = acs_api (f, "PATCH", "profileAndServicesExt/profile/c-1",
                     "{\"lastName\":\"Schäfer\",\"blackListEmail\":true,\"gender\":\"female\"}");
  g_assert_cmpuint (patched->status, ==, 200);
  g_assert_cmpuint (json_object_get_size (acs_obj (patched)), ==, 2);
  g_assert_cmpstr (acs_str (acs_obj (patched), "PKey"), ==, pkey);
  g_assert_true (g_str_has_suffix (acs_str (acs_obj (patched), "href"), pkey));
  after = acs_api (f, "GET", by_pkey, NULL);
  g_assert_cmpstr (acs_str (acs_obj (after), "lastName"), ==, "Schäfer");
  g_assert_cmpstr (acs_str (acs_obj (after), "gender"), ==, "female");
  g_assert_true (json_object_get_boolean_member (acs_obj (after), "denyListEmail"));
  g_assert_false (json_object_has_member (acs_obj (after), "blackListEmail"));
  g_assert_cmpstr (acs_str (acs_obj (after), "lastModified"), >=, acs_str (o, "lastModified"));

  deleted = acs_api (f, "DELETE", by_pkey, NULL);
  g_assert_cmpuint (deleted->status, ==, 200);
  gone = acs_api (f, "GET", by_pkey, NULL);
  acs_assert_error (gone, 404, NULL);
}

static void
test_profile_validation (AcsFixture *f, gconstpointer data)
{
  g_autofree char *pkey = acs_create_profile (f, "{\"email\":\"z@example.org\",\"externalId\":\"k-1\"}");
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
  g_autoptr(AcsResponse) dup = NULL, plain_custom = NULL, empty_keys = NULL, empty_keys2 = NULL;
  g_autoptr(AcsResponse) unchanged = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(AcsResponse) r = acs_api (f, "PATCH", path, cases[i].body);

      acs_assert_error (r, cases[i].status, cases[i].fragment);
    }
  unchanged = acs_api (f, "GET", path, NULL);
  g_assert_cmpstr (acs_str (acs_obj (unchanged), "email"), ==, "z@example.org");

  /* A create is validated the same way, and keys are unique. */
  dup = acs_api (f, "POST", "profileAndServicesExt/profile", "{\"externalId\":\"k-1\"}");
  acs_assert_error (dup, 409, "k-1");
  plain_custom = acs_api (f, "POST", "profileAndServices/profile", "{\"cusTier\":\"gold\"}");
  acs_assert_error (plain_custom, 400, "'cusTier'");
  empty_keys = acs_api (f, "POST", "profileAndServices/profile", "{\"email\":\"\"}");
  empty_keys2 = acs_api (f, "POST", "profileAndServices/profile", "{\"externalId\":\"\"}");
  g_assert_cmpuint (empty_keys->status, ==, 201);
  g_assert_cmpuint (empty_keys2->status, ==, 201);
}

static void
test_profile_unicode (AcsFixture *f, gconstpointer data)
{
  g_autofree char *p1 = acs_create_profile (f, "{\"firstName\":\"Jürgen\",\"lastName\":\"Müller\","
                                           "\"email\":\"juergen.mueller@example.com\",\"externalId\":\"u-1\"}");
  g_autofree char *p2 = acs_create_profile (f, "{\"firstName\":\"太郎\",\"lastName\":\"山田\","
                                           "\"email\":\"taro.yamada@example.jp\",\"externalId\":\"u-2\"}");
  g_autoptr(AcsResponse) r1 = acs_api (f, "GET", "profileAndServicesExt/profile/u-1", NULL);
  g_autoptr(AcsResponse) r2 = acs_api (f, "GET", "profileAndServicesExt/profile/u-2", NULL);
  g_autofree char *folded = g_uri_escape_string ("MÜLLER", NULL, FALSE);
  g_autofree char *search = g_strconcat ("profileAndServices/profile/byText?text=", folded, NULL);
  g_autofree char *kanji = g_uri_escape_string ("山田", NULL, FALSE);
  g_autofree char *search2 = g_strconcat ("profileAndServices/profile/byText?text=", kanji, NULL);
  g_autoptr(AcsResponse) s1 = acs_api (f, "GET", search, NULL);
  g_autoptr(AcsResponse) s2 = acs_api (f, "GET", search2, NULL);
  JsonArray *c1 = json_object_get_array_member (acs_obj (s1), "content");
  JsonArray *c2 = json_object_get_array_member (acs_obj (s2), "content");

  g_assert_cmpstr (acs_str (acs_obj (r1), "lastName"), ==, "Müller");
  g_assert_cmpstr (acs_str (acs_obj (r1), "firstName"), ==, "Jürgen");
  g_assert_cmpstr (acs_str (acs_obj (r2), "lastName"), ==, "山田");
  g_assert_cmpstr (acs_str (acs_obj (r2), "firstName"), ==, "太郎");
  g_assert_cmpuint (json_array_get_length (c1), ==, 1);
  g_assert_cmpstr (acs_str (json_array_get_object_element (c1, 0), "PKey"), ==, p1);
  g_assert_cmpuint (json_array_get_length (c2), ==, 1);
  g_assert_cmpstr (acs_str (json_array_get_object_element (c2, 0), "PKey"), ==, p2);
}

static void
create_many (AcsFixture *f,
             guint    n)
{
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *body = g_strdup_printf ("{\"email\":\"p%02u@example.com\",\"lastName\":\"L%02u\","
                                               "\"firstName\":\"%s\",\"externalId\":\"ext-%02u\"}",
                                               i, (i * 7) % n, i % 2 ? "Odd" : "Even", i);
      g_autofree char *pkey = acs_create_profile (f, body);
    }
}

/* Follows next.href from @path; returns every PKey read, in order. */
static GPtrArray *
read_all_pages (AcsFixture *f,
                const char *path,
                guint       page_size,
                guint      *n_pages)
{
  GPtrArray *pkeys = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *href = g_strdup (path);

  *n_pages = 0;
  while (href != NULL)
    {
      g_autoptr(AcsResponse) r = acs_api (f, "GET", href, NULL);
      JsonObject *o = acs_obj (r);
      JsonArray *content = json_object_get_array_member (o, "content");

      g_assert_cmpuint (r->status, ==, 200);
      g_assert_true (json_object_has_member (json_object_get_object_member (o, "count"), "href"));
      g_assert_cmpuint (json_array_get_length (content), <=, page_size);
      for (guint i = 0; i < json_array_get_length (content); i++)
        g_ptr_array_add (pkeys, g_strdup (acs_str (json_array_get_object_element (content, i), "PKey")));
      g_clear_pointer (&href, g_free);
      if (json_object_has_member (o, "next"))
        {
          href = g_strdup (acs_str (json_object_get_object_member (o, "next"), "href"));
          /* Computed by the server, key-like: not a row number. */
          g_assert_nonnull (strstr (href, "_lineStart=@"));
          g_assert_true (g_str_has_prefix (href, f->api));
        }
      (*n_pages)++;
      g_assert_cmpuint (*n_pages, <, 100);
    }
  return pkeys;
}

static void
test_paging (AcsFixture *f, gconstpointer data)
{
  g_autoptr(GPtrArray) pkeys = NULL;
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(AcsResponse) count = NULL, first = NULL, big = NULL, forced = NULL, settings = NULL;
  g_autoptr(GPtrArray) forced_all = NULL;
  guint pages;

  create_many (f, 53);
  pkeys = read_all_pages (f, "profileAndServices/profile?_lineCount=10&_order=email", 10, &pages);
  g_assert_cmpuint (pkeys->len, ==, 53);
  g_assert_cmpuint (pages, ==, 6);
  for (guint i = 0; i < pkeys->len; i++)
    g_assert_true (g_hash_table_add (seen, g_ptr_array_index (pkeys, i)));

  count = acs_api (f, "GET", "profileAndServices/profile/_count", NULL);
  g_assert_cmpint (json_object_get_int_member (acs_obj (count), "count"), ==, 53);
  first = acs_api (f, "GET", "profileAndServices/profile", NULL);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (acs_obj (first), "content")), ==, 25);
  g_assert_nonnull (strstr (acs_str (json_object_get_object_member (acs_obj (first), "next"), "href"),
                            "_lineStart=@"));

  /* Past the big-table threshold, next only with _forcePagination. */
  settings = acs_admin (f, "POST", "settings", "{\"big_table_threshold\":20}");
  g_assert_cmpuint (settings->status, ==, 200);
  big = acs_api (f, "GET", "profileAndServices/profile?_lineCount=10", NULL);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (acs_obj (big), "content")), ==, 10);
  g_assert_false (json_object_has_member (acs_obj (big), "next"));
  forced = acs_api (f, "GET", "profileAndServices/profile?_lineCount=10&_forcePagination=true", NULL);
  g_assert_nonnull (strstr (acs_str (json_object_get_object_member (acs_obj (forced), "next"), "href"),
                            "_forcePagination=true"));
  forced_all = read_all_pages (f, "profileAndServices/profile?_lineCount=20&_forcePagination=true", 20, &pages);
  g_assert_cmpuint (forced_all->len, ==, 53);
}

static char *
next_href (AcsResponse *r)
{
  return g_strdup (acs_str (json_object_get_object_member (acs_obj (r), "next"), "href"));
}

/* A client that counts rows itself passes against an emulator that takes
 * row numbers, and breaks against Campaign: only next.href is followed. */
static void
test_line_start_opaque (AcsFixture *f, gconstpointer data)
{
  g_autoptr(AcsResponse) first = NULL, second = NULL, other_list = NULL, bigger = NULL, stats = NULL;
  g_autofree char *next = NULL, *moved = NULL, *resized = NULL;
  const char *made_up[] = {
    "profileAndServices/profile?_lineCount=10&_lineStart=10",
    "profileAndServices/profile?_lineCount=10&_lineStart=0",
    "profileAndServices/profile?_lineStart=@Qy2MRJCS67PFf8soTf4BzF7BXsq1Gbkp_e5lLj1TbE7HJKqc",
    "profileAndServices/profile?_lineStart=",
  };
  JsonObject *requests;

  create_many (f, 25);
  for (guint i = 0; i < G_N_ELEMENTS (made_up); i++)
    {
      g_autoptr(AcsResponse) r = acs_api (f, "GET", made_up[i], NULL);

      acs_assert_error (r, 400, "_lineStart");
      g_assert_nonnull (strstr (acs_str (acs_obj (r), "message"), "next.href"));
    }

  first = acs_api (f, "GET", "profileAndServices/profile?_lineCount=10&_order=email", NULL);
  next = next_href (first);
  second = acs_api (f, "GET", next, NULL);
  g_assert_cmpuint (second->status, ==, 200);
  g_assert_cmpstr (acs_str (json_array_get_object_element (json_object_get_array_member (acs_obj (second), "content"), 0),
                            "email"), ==, "p10@example.com");

  /* A token belongs to its list: not to another order or filter... */
  moved = g_strdup (next);
  memcpy (strstr (moved, "_order=email"), "_order=phone", strlen ("_order=phone"));
  other_list = acs_api (f, "GET", moved, NULL);
  acs_assert_error (other_list, 400, "_lineStart");
  /* ...but the next page may be asked bigger. */
  resized = g_strdup (next);
  memcpy (strstr (resized, "_lineCount=10"), "_lineCount=99", strlen ("_lineCount=99"));
  bigger = acs_api (f, "GET", resized, NULL);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (acs_obj (bigger), "content")), ==, 15);

  stats = acs_admin (f, "GET", "stats", NULL);
  requests = json_object_get_object_member (acs_obj (stats), "requests");
  g_assert_cmpint (json_object_get_int_member (requests, "line_starts_followed"), ==, 2);
  g_assert_cmpint (json_object_get_int_member (requests, "line_starts_refused"), ==, 5);
}

static GPtrArray *
list_member (AcsFixture *f,
             const char *path,
             const char *member)
{
  g_autoptr(AcsResponse) r = acs_api (f, "GET", path, NULL);
  GPtrArray *out = g_ptr_array_new_with_free_func (g_free);
  JsonArray *content;

  g_assert_cmpuint (r->status, ==, 200);
  content = json_object_get_array_member (acs_obj (r), "content");
  for (guint i = 0; i < json_array_get_length (content); i++)
    g_ptr_array_add (out, g_strdup (acs_str (json_array_get_object_element (content, i), member)));
  return out;
}

static void
test_order (AcsFixture *f, gconstpointer data)
{
  g_autoptr(GPtrArray) asc = NULL, desc = NULL, desc_space = NULL;
  g_autoptr(AcsResponse) bad = NULL;

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
  bad = acs_api (f, "GET", "profileAndServices/profile?_order=shoeSize", NULL);
  acs_assert_error (bad, 400, "shoeSize");
}

static gboolean
clock_moved (AcsFixture *f, gpointer data)
{
  g_autoptr(AcsResponse) r = acs_api (f, "PATCH", "profileAndServicesExt/profile/ext-03", "{\"phone\":\"+1 555\"}");
  g_autoptr(AcsResponse) got = acs_api (f, "GET", "profileAndServicesExt/profile/ext-03", NULL);

  return strcmp (acs_str (acs_obj (got), "lastModified"), data) > 0;
}

static void
test_filters (AcsFixture *f, gconstpointer data)
{
  g_autoptr(GPtrArray) by_email = NULL, by_text = NULL, chained = NULL, by_ext = NULL;
  g_autoptr(GPtrArray) since = NULL, since_iso = NULL;
  g_autoptr(AcsResponse) count = NULL, plain_custom = NULL, unknown = NULL, bad_since = NULL;
  g_autoptr(AcsResponse) created = NULL, missing = NULL;
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
  count = acs_api (f, "GET", "profileAndServices/profile/byText/_count?text=even", NULL);
  g_assert_cmpint (json_object_get_int_member (acs_obj (count), "count"), ==, 5);
  by_ext = list_member (f, "profileAndServicesExt/profile/byExternalId?externalId=ext-07", "externalId");
  g_assert_cmpuint (by_ext->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (by_ext, 0), ==, "ext-07");

  plain_custom = acs_api (f, "GET", "profileAndServices/profile/byExternalId?externalId=ext-07", NULL);
  acs_assert_error (plain_custom, 400, "byExternalId");
  unknown = acs_api (f, "GET", "profileAndServicesExt/profile/byShoeSize?size=9", NULL);
  acs_assert_error (unknown, 400, "byShoeSize");
  missing = acs_api (f, "GET", "profileAndServices/profile/byEmail", NULL);
  acs_assert_error (missing, 400, "'email'");

  /* byLastModifiedSince: only what changed at or after the given time. */
  /* Touch one profile until its lastModified passes every other one. */
  created = acs_api (f, "GET", "profileAndServicesExt/profile?_order=lastModified%20desc", NULL);
  created_at = g_strdup (acs_str (json_array_get_object_element (json_object_get_array_member (acs_obj (created), "content"), 0),
                                  "lastModified"));
  g_assert_true (acs_wait_until (f, clock_moved, created_at, 10));
  {
    g_autoptr(AcsResponse) now = acs_api (f, "GET", "profileAndServicesExt/profile/ext-03", NULL);

    modified_at = g_strdup (acs_str (acs_obj (now), "lastModified"));
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
  bad_since = acs_api (f, "GET", "profileAndServicesExt/profile/byLastModifiedSince?since=yesterday", NULL);
  acs_assert_error (bad_since, 400, "since");
}

/* A libsoup client opens a new connection for a POST or PATCH it has not
 * marked idempotent, and closes idle ones to stay within its limit: the
 * sandbox (in this process) keeps connections alive, but must close its
 * end of each one the client closed (within a second or two), not keep
 * it for ever. */
static void
test_many_writes (AcsFixture *f, gconstpointer data)
{
  guint before = cc_test_count_descriptors ();

  for (guint i = 0; i < 200; i++)
    {
      g_autofree char *body = g_strdup_printf ("{\"externalId\":\"w-%u\"}", i);
      g_autoptr(AcsResponse) r = acs_api (f, "POST", "profileAndServicesExt/profile", body);

      g_assert_cmpuint (r->status, ==, 201);
    }
  g_assert_true (cc_test_wait_until (cc_test_descriptors_below, GUINT_TO_POINTER (before + 50), 30));
}

void
acs_add_profile_tests (void)
{
  ACS_ADD ("profile/crud", test_profile_crud);
  ACS_ADD ("profile/validation", test_profile_validation);
  ACS_ADD ("profile/unicode", test_profile_unicode);
  ACS_ADD ("profile/many-writes", test_many_writes);
  ACS_ADD ("list/paging", test_paging);
  ACS_ADD ("list/line-start-opaque", test_line_start_opaque);
  ACS_ADD ("list/order", test_order);
  ACS_ADD ("list/filters", test_filters);
}
