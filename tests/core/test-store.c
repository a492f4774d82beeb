/* test-store.c — CcStore on a real SQLite file: the queue's transactions
 * and ordering, the error log, the small tables, a real crash (SIGKILL)
 * and two connections working on one file from two threads.
 *
 * Besides what the API reports, the tests read the file with SQLite
 * directly, so that a backlog kept wrongly by the store cannot agree with
 * itself and pass.
 */
#include <signal.h>
#include <sqlite3.h>
#include <glib/gstdio.h>

#include "cc-error.h"
#include "cc-store-private.h"
#include "cc-test-util.h"
#include "store-fixture.h"

/* --- opening ----------------------------------------------------------- */

static void
test_open (Fixture       *fixture,
           gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CcStore) again = NULL;
  g_autoptr(CcStore) newer = NULL;
  g_autofree char *blocker = NULL;
  g_autofree char *bad_path = NULL;
  g_autoptr(CcStore) bad = NULL;
  GStatBuf buf;
  g_autofree char *parent = g_path_get_dirname (fixture->path);

  g_assert_cmpstr (cc_store_get_path (fixture->store), ==, fixture->path);
  g_assert_true (g_file_test (fixture->path, G_FILE_TEST_IS_REGULAR));
  g_assert_cmpint (g_stat (parent, &buf), ==, 0);
  g_assert_cmpint (buf.st_mode & 0777, ==, 0700);
  g_assert_cmpint (store_query_int (fixture->path, "PRAGMA user_version"), ==, 7);
  /* The first store of the process stopped SQLite's count of its memory
   * (a mutex on every allocation). */
  g_assert_cmpint (sqlite3_memory_used (), ==, 0);
  /* WAL is a property of the file: a fresh connection sees it. */
  g_assert_cmpint (store_query_int (fixture->path,
                              "SELECT journal_mode = 'wal' FROM pragma_journal_mode"), ==, 1);

  /* A second connection on the same file while the first is open. */
  again = cc_store_open (fixture->path, &error);
  g_assert_no_error (error);
  g_assert_nonnull (again);
  g_clear_object (&again);

  /* A file of the first schema (its indexes, its maps table with an entry)
   * is brought up to date on opening, keeping its data. */
  g_clear_object (&fixture->store);
  {
    sqlite3 *db = NULL;

    g_assert_cmpint (sqlite3_open (fixture->path, &db), ==, SQLITE_OK);
    g_assert_cmpint (sqlite3_exec (db,
                                   "ALTER TABLE queue DROP COLUMN behind;"
                                   "DROP INDEX errors_by_reason;"
                                   "DROP TABLE api_calls;"
                                   "DROP TABLE wanted;"
                                   "DROP INDEX errors_by_record;"
                                   "DROP INDEX queue_by_record;"
                                   "CREATE UNIQUE INDEX queue_pending ON queue (workflow, mapping, key)"
                                   " WHERE leased = 0;"
                                   "CREATE INDEX queue_leased ON queue (workflow, mapping, key)"
                                   " WHERE leased = 1;"
                                   "DROP TABLE maps;"
                                   "CREATE TABLE maps (space TEXT NOT NULL, key TEXT NOT NULL,"
                                   " value TEXT NOT NULL, PRIMARY KEY (space, key));"
                                   "INSERT INTO maps VALUES ('identity', 'id-1', 'PKEY-1');"
                                   "PRAGMA user_version = 1",
                                   NULL, NULL, NULL), ==, SQLITE_OK);
    sqlite3_close (db);
  }
  again = cc_store_open (fixture->path, &error);
  g_assert_no_error (error);
  {
    g_autofree char *value = cc_store_map_get (again, "identity", "id-1", &error);

    g_assert_no_error (error);
    g_assert_cmpstr (value, ==, "PKEY-1");
  }
  g_clear_object (&again);
  g_assert_cmpint (store_query_int (fixture->path, "PRAGMA user_version"), ==, 7);
  g_assert_cmpint (store_query_int (fixture->path,
                                    "SELECT COUNT (*) FROM sqlite_master"
                                    " WHERE name IN ('errors_by_record', 'queue_by_record',"
                                    " 'errors_by_reason')"), ==, 3);
  g_assert_cmpint (store_query_int (fixture->path,
                                    "SELECT COUNT (*) FROM sqlite_master"
                                    " WHERE name IN ('queue_pending', 'queue_leased')"), ==, 0);
  g_assert_cmpint (store_query_int (fixture->path,
                                    "SELECT COUNT (*) FROM sqlite_master WHERE name = 'maps'"
                                    " AND sql LIKE '%WITHOUT ROWID%'"), ==, 1);

  /* A file from a newer version is refused, not migrated backwards. */
  {
    sqlite3 *db = NULL;

    g_assert_cmpint (sqlite3_open (fixture->path, &db), ==, SQLITE_OK);
    g_assert_cmpint (sqlite3_exec (db, "PRAGMA user_version = 99", NULL, NULL, NULL), ==, SQLITE_OK);
    sqlite3_close (db);
  }
  newer = cc_store_open (fixture->path, &error);
  g_assert_error (error, CC_ERROR, CC_ERROR_FAILED);
  g_assert_null (newer);
  g_assert_nonnull (strstr (error->message, fixture->path));
  g_assert_nonnull (strstr (error->message, "newer version"));
  g_clear_error (&error);

  /* A folder that cannot be made: the error names the path. */
  blocker = g_build_filename (fixture->dir, "plain-file", NULL);
  g_assert_true (g_file_set_contents (blocker, "x", 1, NULL));
  bad_path = g_build_filename (blocker, "engine.db", NULL);
  bad = cc_store_open (bad_path, &error);
  g_assert_error (error, CC_ERROR, CC_ERROR_FAILED);
  g_assert_null (bad);
  g_assert_true (g_str_has_prefix (error->message, "Could not open the state database in "));
  g_assert_nonnull (strstr (error->message, bad_path));
}

/* --- enqueue and cursor ------------------------------------------------ */

static void
test_enqueue_cursor (Fixture       *fixture,
                     gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) page1 = store_make_items ("contact", 0, 3, 0);
  g_autoptr(GPtrArray) page2 = store_make_items ("contact", 3, 3, 0);
  g_autoptr(GPtrArray) page3 = store_make_items ("contact", 6, 2, 0);
  g_autofree char *cursor = NULL;
  CcQueueItem *bad;

  g_assert_true (cc_store_enqueue (fixture->store, WORKFLOW, page1, "delta", "token-1", &error));
  g_assert_no_error (error);
  for (guint i = 0; i < page1->len; i++)
    {
      g_assert_cmpint (store_item_at (page1, i)->id, >, 0);
      g_assert_cmpint (store_item_at (page1, i)->queued_at, >, 0);
    }
  g_assert_cmpint (store_item_at (page1, 0)->id, <, store_item_at (page1, 1)->id);
  cursor = cc_store_get_cursor (fixture->store, WORKFLOW, "delta", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (cursor, ==, "token-1");
  g_assert_cmpuint (store_backlog (fixture->store, WORKFLOW), ==, 3);

  /* An item without a key, after two good ones: the whole page and its
   * cursor roll back. */
  bad = store_item_at (page2, 2);
  g_clear_pointer (&bad->key, g_free);
  g_assert_false (cc_store_enqueue (fixture->store, WORKFLOW, page2, "delta", "token-2", &error));
  g_assert_error (error, CC_ERROR, CC_ERROR_FAILED);
  g_assert_true (g_str_has_prefix (error->message, "Could not queue records in "));
  g_assert_nonnull (strstr (error->message, fixture->path));
  g_clear_error (&error);
  for (guint i = 0; i < page2->len; i++)
    g_assert_cmpint (store_item_at (page2, i)->id, ==, 0);
  g_assert_cmpuint (store_backlog (fixture->store, WORKFLOW), ==, 3);
  g_clear_pointer (&cursor, g_free);
  cursor = cc_store_get_cursor (fixture->store, WORKFLOW, "delta", &error);
  g_assert_cmpstr (cursor, ==, "token-1");

  /* A row SQLite itself refuses (an op outside the CHECK constraint). The
   * message must not carry the payload. */
  bad = store_item_at (page3, 1);
  bad->op = 7;
  g_free (bad->payload);
  bad->payload = g_strdup ("{\"secret\":\"do-not-echo\"}");
  g_assert_false (cc_store_enqueue (fixture->store, WORKFLOW, page3, "delta", "token-3", &error));
  g_assert_error (error, CC_ERROR, CC_ERROR_FAILED);
  g_assert_true (g_str_has_prefix (error->message, "Could not queue records in "));
  g_assert_null (strstr (error->message, "do-not-echo"));
  g_clear_error (&error);
  g_assert_cmpuint (store_backlog (fixture->store, WORKFLOW), ==, 3);
  g_clear_pointer (&cursor, g_free);
  cursor = cc_store_get_cursor (fixture->store, WORKFLOW, "delta", &error);
  g_assert_cmpstr (cursor, ==, "token-1");

  /* Once fixed, the same page goes in; a NULL value clears the cursor in
   * the same transaction. */
  bad->op = CC_QUEUE_OP_DELETE;
  g_assert_true (cc_store_enqueue (fixture->store, WORKFLOW, page3, "delta", NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (store_backlog (fixture->store, WORKFLOW), ==, 5);
  g_clear_pointer (&cursor, g_free);
  cursor = cc_store_get_cursor (fixture->store, WORKFLOW, "delta", &error);
  g_assert_no_error (error);
  g_assert_null (cursor);

  /* No items, only a cursor; and other workflows are apart. */
  g_assert_true (cc_store_enqueue (fixture->store, "egress", NULL, "journal", "42", &error));
  g_assert_no_error (error);
  cursor = cc_store_get_cursor (fixture->store, "egress", "journal", &error);
  g_assert_cmpstr (cursor, ==, "42");
  g_assert_cmpuint (store_backlog (fixture->store, "egress"), ==, 0);
}

/* What a reader learnt from a page is saved with the page, or not at all. */
static void
test_enqueue_with_maps (Fixture       *fixture,
                        gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) page1 = store_make_items ("contact", 0, 2, 0);
  g_autoptr(GPtrArray) page2 = store_make_items ("contact", 2, 2, 0);
  g_autoptr(CcStoreBatch) marks = cc_store_batch_new (WORKFLOW);
  g_autofree char *seen = NULL;
  g_autofree char *cursor = NULL;

  cc_store_batch_map_set (marks, "seen", "key-00000", "v1");
  cc_store_batch_map_set (marks, "seen", "key-00001", "v1");
  g_assert_true (cc_store_enqueue_with_maps (fixture->store, WORKFLOW, page1, "poll", "w-1",
                                             marks, &error));
  g_assert_no_error (error);
  seen = cc_store_map_get (fixture->store, "seen", "key-00001", &error);
  g_assert_cmpstr (seen, ==, "v1");
  g_assert_cmpuint (store_backlog (fixture->store, WORKFLOW), ==, 2);

  /* A page that cannot be queued (a record without a key) takes its map
   * changes down with it. */
  cc_store_batch_clear (marks);
  cc_store_batch_map_set (marks, "seen", "key-00002", "v2");
  cc_store_batch_map_set (marks, "seen", "key-00000", NULL);
  g_clear_pointer (&store_item_at (page2, 1)->key, g_free);
  g_assert_false (cc_store_enqueue_with_maps (fixture->store, WORKFLOW, page2, "poll", "w-2",
                                              marks, &error));
  g_assert_error (error, CC_ERROR, CC_ERROR_FAILED);
  g_clear_error (&error);
  g_assert_null (cc_store_map_get (fixture->store, "seen", "key-00002", &error));
  g_clear_pointer (&seen, g_free);
  seen = cc_store_map_get (fixture->store, "seen", "key-00000", &error);
  g_assert_cmpstr (seen, ==, "v1");
  cursor = cc_store_get_cursor (fixture->store, WORKFLOW, "poll", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (cursor, ==, "w-1");
  g_assert_cmpuint (store_backlog (fixture->store, WORKFLOW), ==, 2);
}

/* --- replace-newer ----------------------------------------------------- */

static void
test_replace_newer (Fixture       *fixture,
                    gconstpointer  user_data)
{
  g_autoptr(GPtrArray) first = NULL;
  g_autoptr(GPtrArray) blocked = NULL;
  g_autoptr(GPtrArray) second = NULL;
  gint64 id_a, id_b, id_c, id_other;
  gint64 queued_at;

  store_enqueue_one (fixture->store, "k1", "{\"v\":\"a\"}", CC_QUEUE_FLAG_FULL, &id_a);
  store_enqueue_one (fixture->store, "k1", "{\"v\":\"b\"}", 0, &id_b);
  g_assert_cmpint (id_b, ==, id_a);
  g_assert_cmpuint (store_backlog (fixture->store, WORKFLOW), ==, 1);

  first = store_lease (fixture->store, 10);
  g_assert_cmpuint (first->len, ==, 1);
  g_assert_cmpint (store_item_at (first, 0)->id, ==, id_a);
  g_assert_cmpstr (store_item_at (first, 0)->payload, ==, "{\"v\":\"b\"}");
  g_assert_cmpuint (store_item_at (first, 0)->flags, ==, CC_QUEUE_FLAG_FULL);
  queued_at = store_item_at (first, 0)->queued_at;

  /* While k1 is leased, a newer change waits behind it as its own row. */
  store_enqueue_one (fixture->store, "k1", "{\"v\":\"c\"}", 0, &id_c);
  g_assert_cmpint (id_c, !=, id_a);
  store_enqueue_one (fixture->store, "k2", "{\"v\":\"x\"}", 0, &id_other);
  g_assert_cmpuint (store_backlog (fixture->store, WORKFLOW), ==, 3);

  blocked = store_lease (fixture->store, 10);
  g_assert_cmpuint (blocked->len, ==, 1);
  g_assert_cmpint (store_item_at (blocked, 0)->id, ==, id_other);
  store_ack_all (fixture->store, blocked);

  store_ack_all (fixture->store, first);
  g_assert_cmpuint (store_backlog (fixture->store, WORKFLOW), ==, 1);
  second = store_lease (fixture->store, 10);
  g_assert_cmpuint (second->len, ==, 1);
  g_assert_cmpint (store_item_at (second, 0)->id, ==, id_c);
  g_assert_cmpstr (store_item_at (second, 0)->payload, ==, "{\"v\":\"c\"}");
  g_assert_cmpuint (store_item_at (second, 0)->flags, ==, 0);
  g_assert_cmpint (store_item_at (second, 0)->queued_at, >=, queued_at);
  store_ack_all (fixture->store, second);

  /* The same record twice in one page counts once; the later one wins. */
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(GPtrArray) page = g_ptr_array_new_with_free_func ((GDestroyNotify) cc_queue_item_free);
    g_autoptr(GPtrArray) got = NULL;

    g_ptr_array_add (page, cc_queue_item_new ("contact", "k3", CC_QUEUE_OP_UPSERT, "{\"v\":1}", 0));
    g_ptr_array_add (page, cc_queue_item_new ("contact", "k4", CC_QUEUE_OP_UPSERT, "{}", 0));
    g_ptr_array_add (page, cc_queue_item_new ("contact", "k3", CC_QUEUE_OP_DELETE, NULL, 0));
    g_assert_true (cc_store_enqueue (fixture->store, WORKFLOW, page, NULL, NULL, &error));
    g_assert_no_error (error);
    g_assert_cmpint (store_item_at (page, 0)->id, ==, store_item_at (page, 2)->id);
    g_assert_cmpuint (store_backlog (fixture->store, WORKFLOW), ==, 2);
    got = store_lease (fixture->store, 10);
    g_assert_cmpuint (got->len, ==, 2);
    g_assert_cmpstr (store_item_at (got, 0)->key, ==, "k3");
    g_assert_cmpint (store_item_at (got, 0)->op, ==, CC_QUEUE_OP_DELETE);
    g_assert_null (store_item_at (got, 0)->payload);
  }
}

/* Whether a record waits to be written, or what a read queued with a
 * flag is all written: leased or not, of that mapping only, also after
 * the flag was merged into a newer change of the record. */
static void
test_has_queued (Fixture       *fixture,
                 gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) other = store_make_items ("other", 0, 1, CC_QUEUE_FLAG_BACKFILL);
  g_autoptr(GPtrArray) leased = NULL;
  gboolean found = TRUE;
  gint64 id;

  g_assert_true (cc_store_has_queued (fixture->store, WORKFLOW, "contact", NULL,
                                      CC_QUEUE_FLAG_BACKFILL, &found, &error));
  g_assert_no_error (error);
  g_assert_false (found);

  /* Another mapping's, and one without the flag: none. */
  g_assert_true (cc_store_enqueue (fixture->store, WORKFLOW, other, NULL, NULL, &error));
  store_enqueue_one (fixture->store, "k1", "{}", CC_QUEUE_FLAG_FULL, &id);
  g_assert_true (cc_store_has_queued (fixture->store, WORKFLOW, "contact", NULL,
                                      CC_QUEUE_FLAG_BACKFILL, &found, &error));
  g_assert_false (found);

  /* Merged into the waiting change, then leased: still there. */
  store_enqueue_one (fixture->store, "k1", "{}", CC_QUEUE_FLAG_BACKFILL, &id);
  g_assert_true (cc_store_has_queued (fixture->store, WORKFLOW, "contact", NULL,
                                      CC_QUEUE_FLAG_BACKFILL, &found, &error));
  g_assert_true (found);
  leased = store_lease (fixture->store, 10);
  g_assert_true (cc_store_has_queued (fixture->store, WORKFLOW, "contact", NULL,
                                      CC_QUEUE_FLAG_BACKFILL | CC_QUEUE_FLAG_FULL, &found, &error));
  g_assert_true (found);
  g_assert_true (cc_store_has_queued (fixture->store, WORKFLOW, "contact", "k1", 0, &found, &error));
  g_assert_true (found);
  g_assert_true (cc_store_has_queued (fixture->store, WORKFLOW, "contact", "k2", 0, &found, &error));
  g_assert_false (found);

  /* Written: gone. */
  store_ack_all (fixture->store, leased);
  g_assert_true (cc_store_has_queued (fixture->store, WORKFLOW, "contact", "k1", 0, &found, &error));
  g_assert_false (found);
  g_assert_true (cc_store_has_queued (fixture->store, WORKFLOW, "contact", NULL,
                                      CC_QUEUE_FLAG_BACKFILL, &found, &error));
  g_assert_no_error (error);
  g_assert_false (found);
}

/* --- small tables ------------------------------------------------------ */

static void
test_counters_history (Fixture       *fixture,
                       gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) all = NULL;
  g_autoptr(GPtrArray) two = NULL;
  g_autoptr(GPtrArray) other = NULL;
  CcHistoryEntry *entry;
  guint64 written = 99, failed = 99;

  g_assert_true (cc_store_get_counts (fixture->store, WORKFLOW, &written, &failed, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (written, ==, 0);
  g_assert_cmpuint (failed, ==, 0);
  g_assert_true (cc_store_add_counts (fixture->store, WORKFLOW, 10, 1, &error));
  g_assert_true (cc_store_add_counts (fixture->store, WORKFLOW, 5, 0, &error));
  g_assert_true (cc_store_add_counts (fixture->store, "egress", 7, 7, &error));
  g_assert_no_error (error);
  g_assert_true (cc_store_get_counts (fixture->store, WORKFLOW, &written, &failed, &error));
  g_assert_cmpuint (written, ==, 15);
  g_assert_cmpuint (failed, ==, 1);

  g_assert_true (cc_store_add_history (fixture->store, WORKFLOW, "start", NULL, 0, 0, &error));
  g_assert_true (cc_store_add_history (fixture->store, WORKFLOW, "fail", "Token refused", 3, 1, &error));
  g_assert_true (cc_store_add_history (fixture->store, "egress", "start", NULL, 0, 0, &error));
  g_assert_true (cc_store_add_history (fixture->store, WORKFLOW, "stop", "Stopped by the user", 12, 1, &error));
  g_assert_no_error (error);

  all = cc_store_list_history (fixture->store, WORKFLOW, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (all->len, ==, 3);
  entry = g_ptr_array_index (all, 0);
  g_assert_cmpstr (entry->kind, ==, "stop");
  g_assert_cmpstr (entry->message, ==, "Stopped by the user");
  g_assert_cmpuint (entry->written, ==, 12);
  g_assert_cmpuint (entry->failed, ==, 1);
  g_assert_cmpint (entry->at, >, 0);
  entry = g_ptr_array_index (all, 2);
  g_assert_cmpstr (entry->kind, ==, "start");
  g_assert_null (entry->message);
  g_assert_cmpint (entry->at, <=, ((CcHistoryEntry *) g_ptr_array_index (all, 0))->at);

  two = cc_store_list_history (fixture->store, WORKFLOW, 2, &error);
  g_assert_cmpuint (two->len, ==, 2);
  g_assert_cmpstr (((CcHistoryEntry *) g_ptr_array_index (two, 1))->kind, ==, "fail");
  other = cc_store_list_history (fixture->store, "egress", 0, &error);
  g_assert_cmpuint (other->len, ==, 1);
}

static void
test_history_bounded (Fixture       *fixture,
                      gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) all = NULL;
  const guint keep = 10000;

  for (guint i = 0; i < keep + 5; i++)
    {
      g_autofree char *message = g_strdup_printf ("run %u", i);

      g_assert_true (cc_store_add_history (fixture->store, WORKFLOW, "start", message, i, 0, &error));
      g_assert_no_error (error);
    }
  g_assert_true (cc_store_add_history (fixture->store, "egress", "start", NULL, 0, 0, &error));

  /* The oldest entries went; the newest are all there. */
  all = cc_store_list_history (fixture->store, WORKFLOW, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (all->len, ==, keep);
  g_assert_cmpstr (((CcHistoryEntry *) g_ptr_array_index (all, 0))->message, ==, "run 10004");
  g_assert_cmpstr (((CcHistoryEntry *) g_ptr_array_index (all, keep - 1))->message, ==, "run 5");
  g_assert_cmpint (store_query_int (fixture->path,
                              "SELECT COUNT (*) FROM history WHERE workflow = 'egress'"), ==, 1);
}

static void
test_cursors (Fixture       *fixture,
              gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  const char *names[] = { "delta:contact", "delta:account", "page%:contact", "journal" };
  char *value;

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_assert_true (cc_store_set_cursor (fixture->store, WORKFLOW, names[i], "v", &error));
      g_assert_true (cc_store_set_cursor (fixture->store, "egress", names[i], "w", &error));
    }
  g_assert_no_error (error);
  g_assert_true (cc_store_set_cursor (fixture->store, WORKFLOW, "journal", "v2", &error));
  value = cc_store_get_cursor (fixture->store, WORKFLOW, "journal", &error);
  g_assert_cmpstr (value, ==, "v2");
  g_free (value);

  g_assert_true (cc_store_clear_cursors (fixture->store, WORKFLOW, "delta:", &error));
  g_assert_no_error (error);
  g_assert_null (cc_store_get_cursor (fixture->store, WORKFLOW, "delta:contact", &error));
  g_assert_null (cc_store_get_cursor (fixture->store, WORKFLOW, "delta:account", &error));
  g_assert_no_error (error);
  /* '%' is not a wildcard, other names and workflows stay. */
  g_assert_true (cc_store_clear_cursors (fixture->store, WORKFLOW, "page_", &error));
  value = cc_store_get_cursor (fixture->store, WORKFLOW, "page%:contact", &error);
  g_assert_cmpstr (value, ==, "v");
  g_free (value);
  value = cc_store_get_cursor (fixture->store, "egress", "delta:contact", &error);
  g_assert_cmpstr (value, ==, "w");
  g_free (value);

  g_assert_true (cc_store_set_cursor (fixture->store, WORKFLOW, "journal", NULL, &error));
  g_assert_null (cc_store_get_cursor (fixture->store, WORKFLOW, "journal", &error));
  g_assert_true (cc_store_clear_cursors (fixture->store, WORKFLOW, "", &error));
  g_assert_null (cc_store_get_cursor (fixture->store, WORKFLOW, "page%:contact", &error));
  g_assert_cmpint (store_query_int (fixture->path,
                              "SELECT COUNT (*) FROM cursors WHERE workflow = 'ingress'"), ==, 0);
  g_assert_cmpint (store_query_int (fixture->path,
                              "SELECT COUNT (*) FROM cursors WHERE workflow = 'egress'"), ==, 4);
  g_assert_no_error (error);
}

typedef struct
{
  CcStore   *store;
  GPtrArray *keys;
  guint      stop_after;
  gboolean   delete;
} MapWalk;

static gboolean
collect_key (const char *key,
             const char *value,
             gpointer    user_data)
{
  MapWalk *walk = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *expected = g_strdup_printf ("value of %s", key);
  g_autofree char *again = NULL;

  g_assert_cmpstr (value, ==, expected);
  /* The store is usable from inside the callback. */
  again = cc_store_map_get (walk->store, "identity", key, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (again, ==, value);

  /* ... even to change the map as it goes. */
  if (walk->delete)
    {
      g_assert_true (cc_store_map_set (walk->store, "identity", key, NULL, &error));
      g_assert_no_error (error);
    }

  g_ptr_array_add (walk->keys, g_strdup (key));
  return walk->stop_after == 0 || walk->keys->len < walk->stop_after;
}

static void
test_maps (Fixture       *fixture,
           gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) all = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) some = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) deleted = g_ptr_array_new_with_free_func (g_free);
  MapWalk walk = { fixture->store, all, 0, FALSE };
  const guint n = 700;      /* more than one page of the walk */
  char *value;

  /* Inserted in a scrambled order; listed in key order. */
  for (guint i = 0; i < n; i++)
    {
      guint k = (i * 337) % n;
      g_autofree char *key = g_strdup_printf ("id-%04u", k);
      g_autofree char *val = g_strdup_printf ("value of %s", key);

      g_assert_true (cc_store_map_set (fixture->store, "identity", key, val, &error));
      g_assert_no_error (error);
    }
  g_assert_true (cc_store_map_set (fixture->store, "echo", "id-0001", "other", &error));

  value = cc_store_map_get (fixture->store, "identity", "id-0042", &error);
  g_assert_cmpstr (value, ==, "value of id-0042");
  g_free (value);
  g_assert_null (cc_store_map_get (fixture->store, "identity", "missing", &error));
  g_assert_no_error (error);

  g_assert_true (cc_store_map_set (fixture->store, "identity", "id-0042", "value of id-0042", &error));
  g_assert_true (cc_store_map_set (fixture->store, "identity", "id-0043", NULL, &error));
  g_assert_null (cc_store_map_get (fixture->store, "identity", "id-0043", &error));

  /* Several entries read at once: those of the space that exist. */
  {
    const char * const keys[] = { "id-0042", "id-0043", "missing", "id-0001", "id-0699" };
    g_autoptr(GHashTable) values = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);

    g_assert_true (cc_store_map_get_many (fixture->store, "identity", keys, G_N_ELEMENTS (keys),
                                          values, &error));
    g_assert_no_error (error);
    g_assert_cmpuint (g_hash_table_size (values), ==, 3);
    g_assert_cmpstr (g_hash_table_lookup (values, "id-0042"), ==, "value of id-0042");
    g_assert_cmpstr (g_hash_table_lookup (values, "id-0001"), ==, "value of id-0001");
    g_assert_cmpstr (g_hash_table_lookup (values, "id-0699"), ==, "value of id-0699");
    /* The read transaction has ended: the connection writes again. */
    g_assert_true (cc_store_map_set (fixture->store, "identity", "id-0043", NULL, &error));
    g_assert_no_error (error);
  }

  g_assert_true (cc_store_map_foreach (fixture->store, "identity", collect_key, &walk, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (all->len, ==, n - 1);
  for (guint i = 1; i < all->len; i++)
    g_assert_cmpint (strcmp (all->pdata[i - 1], all->pdata[i]), <, 0);
  g_assert_cmpstr (all->pdata[0], ==, "id-0000");
  g_assert_cmpstr (all->pdata[all->len - 1], ==, "id-0699");

  /* Returning FALSE stops the walk. */
  walk.keys = some;
  walk.stop_after = 3;
  g_assert_true (cc_store_map_foreach (fixture->store, "identity", collect_key, &walk, &error));
  g_assert_cmpuint (some->len, ==, 3);
  g_assert_cmpstr (some->pdata[2], ==, "id-0002");

  /* Deleting each key from the callback still visits every key once. */
  walk.keys = deleted;
  walk.stop_after = 0;
  walk.delete = TRUE;
  g_assert_true (cc_store_map_foreach (fixture->store, "identity", collect_key, &walk, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (deleted->len, ==, n - 1);
  g_assert_cmpint (store_query_int (fixture->path,
                              "SELECT COUNT (*) FROM maps WHERE space = 'identity'"), ==, 0);
  for (guint i = 0; i < n; i += 100)
    {
      g_autofree char *key = g_strdup_printf ("id-%04u", i);
      g_autofree char *val = g_strdup_printf ("value of %s", key);

      g_assert_true (cc_store_map_set (fixture->store, "identity", key, val, &error));
    }

  g_assert_true (cc_store_map_clear (fixture->store, "identity", &error));
  g_assert_no_error (error);
  g_assert_null (cc_store_map_get (fixture->store, "identity", "id-0000", &error));
  value = cc_store_map_get (fixture->store, "echo", "id-0001", &error);
  g_assert_cmpstr (value, ==, "other");
  g_free (value);
}

/* --- crash safety ------------------------------------------------------ */

#define CRASH_PAGE 1000

static gpointer
killer_thread (gpointer data)
{
  /* Fault injection, not synchronisation: the process dies at a moment
   * nobody chose, in or out of a transaction. */
  g_usleep (GPOINTER_TO_UINT (data));
  raise (SIGKILL);
  return NULL;
}

/* The child: queues pages of CRASH_PAGE records, each with its page
 * number as the cursor, until it is killed. */
static int
crash_child (const char *path,
             guint32     seed)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CcStore) store = cc_store_open (path, &error);
  g_autoptr(GRand) rand = g_rand_new_with_seed (seed);
  g_autofree char *cursor = NULL;
  guint page;

  g_assert_no_error (error);
  cursor = cc_store_get_cursor (store, WORKFLOW, "page", &error);
  g_assert_no_error (error);
  page = cursor != NULL ? (guint) g_ascii_strtoull (cursor, NULL, 10) : 0;

  for (guint written = 0;; page++, written++)
    {
      g_autofree char *mapping = g_strdup_printf ("page-%05u", page);
      g_autofree char *next = g_strdup_printf ("%u", page + 1);
      g_autoptr(GPtrArray) items = store_make_items (mapping, 0, CRASH_PAGE, 0);

      /* The clock starts once this round has committed a page, however
       * slow the machine (or a sanitizer build), so that every round has
       * something to lose; the kill still lands at a random moment. */
      if (written == 1)
        g_thread_unref (g_thread_new ("killer", killer_thread,
                                      GUINT_TO_POINTER (g_rand_int_range (rand, 20000, 250000))));
      g_assert_true (cc_store_enqueue (store, WORKFLOW, items, "page", next, &error));
      g_assert_no_error (error);
    }
  return 1;
}

static void
test_crash (Fixture       *fixture,
            gconstpointer  user_data)
{
  guint total_pages = 0;

  g_clear_object (&fixture->store);
  for (guint round = 0; round < 6; round++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(CcStore) store = NULL;
      g_autofree char *seed = g_strdup_printf ("%u", g_test_rand_int ());
      g_autofree char *cursor = NULL;
      g_autofree char *sql = NULL;
      const char *argv[] = { "/proc/self/exe", "--crash-child", fixture->path, seed, NULL };
      int status = 0;
      guint pages;
      gint64 bad_pages;

      g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT,
                                   NULL, NULL, NULL, NULL, &status, &error));
      g_assert_no_error (error);
      /* It really died by the signal, not by an assertion. */
      g_assert_true (WIFSIGNALED (status));
      g_assert_cmpint (WTERMSIG (status), ==, SIGKILL);

      store = cc_store_open (fixture->path, &error);
      g_assert_no_error (error);
      cursor = cc_store_get_cursor (store, WORKFLOW, "page", &error);
      g_assert_no_error (error);
      pages = cursor != NULL ? (guint) g_ascii_strtoull (cursor, NULL, 10) : 0;
      g_test_message ("round %u: %u pages committed", round, pages);
      /* Nothing committed is lost, and each round committed a page. */
      g_assert_cmpuint (pages, >, total_pages);
      total_pages = pages;

      /* The cursor matches the rows exactly: every page before it is
       * whole, and none after it exists, not even in part. */
      g_assert_cmpuint (store_backlog (store, WORKFLOW), ==, (guint64) pages * CRASH_PAGE);
      g_assert_cmpint (store_query_int (fixture->path, "SELECT COUNT (DISTINCT mapping) FROM queue"),
                       ==, pages);
      bad_pages = store_query_int (fixture->path,
                             "SELECT COUNT (*) FROM (SELECT mapping FROM queue"
                             " GROUP BY mapping HAVING COUNT (*) != 1000"
                             " OR COUNT (DISTINCT key) != 1000)");
      g_assert_cmpint (bad_pages, ==, 0);
      sql = g_strdup_printf ("SELECT MAX (mapping) = 'page-%05u' FROM queue", pages - 1);
      g_assert_cmpint (store_query_int (fixture->path, sql), ==, 1);
      g_assert_cmpint (store_query_int (fixture->path,
                                  "SELECT integrity_check = 'ok' FROM pragma_integrity_check"),
                       ==, 1);
    }
}

/* --- two connections, two threads -------------------------------------- */

#define THREAD_ITEMS 4000
#define THREAD_PAGE   100

typedef struct
{
  const char *path;
  GHashTable *acked;          /* key → number of acks; consumer only */
  guint       released;
  gboolean    ok;
} ThreadData;

static gpointer
producer_thread (gpointer user_data)
{
  ThreadData *data = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(CcStore) store = cc_store_open (data->path, &error);

  g_assert_no_error (error);
  for (guint first = 0; first < THREAD_ITEMS; first += THREAD_PAGE)
    {
      g_autoptr(GPtrArray) items = store_make_items ("contact", first, THREAD_PAGE, 0);
      g_autofree char *cursor = g_strdup_printf ("%u", first + THREAD_PAGE);

      g_assert_true (cc_store_enqueue (store, WORKFLOW, items, "page", cursor, &error));
      g_assert_no_error (error);
    }
  data->ok = TRUE;
  return NULL;
}

static gpointer
consumer_thread (gpointer user_data)
{
  ThreadData *data = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(CcStore) store = cc_store_open (data->path, &error);
  gint64 deadline = g_get_monotonic_time () + cc_test_scale_timeout (60) * G_USEC_PER_SEC;
  guint batches = 0;

  g_assert_no_error (error);
  while (g_hash_table_size (data->acked) < THREAD_ITEMS &&
         g_get_monotonic_time () < deadline)
    {
      g_autoptr(GPtrArray) items = cc_store_lease (store, WORKFLOW, 64, &error);
      g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));

      g_assert_no_error (error);
      if (items->len == 0)
        {
          /* Polling against the deadline: the producer has not caught up. */
          g_usleep (500);
          continue;
        }
      for (guint i = 0; i < items->len; i++)
        g_array_append_val (ids, store_item_at (items, i)->id);

      /* Now and then a batch fails transiently and comes back later. */
      if (++batches % 7 == 0)
        {
          g_assert_true (store_release (store, (gint64 *) ids->data, ids->len, &error));
          g_assert_no_error (error);
          data->released += ids->len;
          continue;
        }
      g_assert_true (store_ack (store, (gint64 *) ids->data, ids->len, &error));
      g_assert_no_error (error);
      for (guint i = 0; i < items->len; i++)
        {
          const char *key = store_item_at (items, i)->key;
          guint n = GPOINTER_TO_UINT (g_hash_table_lookup (data->acked, key));

          g_hash_table_replace (data->acked, g_strdup (key), GUINT_TO_POINTER (n + 1));
        }
    }
  data->ok = TRUE;
  return NULL;
}

static void
test_two_threads (Fixture       *fixture,
                  gconstpointer  user_data)
{
  g_autoptr(GHashTable) acked = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  ThreadData producer = { fixture->path, NULL, 0, FALSE };
  ThreadData consumer = { fixture->path, acked, 0, FALSE };
  GThread *threads[2];
  GHashTableIter iter;
  gpointer count;

  threads[0] = g_thread_new ("producer", producer_thread, &producer);
  threads[1] = g_thread_new ("consumer", consumer_thread, &consumer);
  g_thread_join (threads[0]);
  g_thread_join (threads[1]);
  g_assert_true (producer.ok);
  g_assert_true (consumer.ok);

  g_assert_cmpuint (g_hash_table_size (acked), ==, THREAD_ITEMS);
  g_assert_cmpuint (consumer.released, >, 0);
  g_hash_table_iter_init (&iter, acked);
  while (g_hash_table_iter_next (&iter, NULL, &count))
    g_assert_cmpuint (GPOINTER_TO_UINT (count), ==, 1);
  /* The main thread's own connection sees the end state too. */
  g_assert_cmpuint (store_backlog (fixture->store, WORKFLOW), ==, 0);
}

/* --- what the user wants running ---------------------------------------- */

static GStrv
list_wanted (CcStore *store)
{
  g_autoptr(GError) error = NULL;
  GStrv wanted = cc_store_list_wanted (store, &error);

  g_assert_no_error (error);
  g_assert_nonnull (wanted);
  return wanted;
}

static void
test_wanted (Fixture       *fixture,
             gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) wanted = NULL;
  g_autoptr(CcStore) again = NULL;

  wanted = list_wanted (fixture->store);
  g_assert_cmpuint (g_strv_length (wanted), ==, 0);
  g_clear_pointer (&wanted, g_strfreev);

  /* Kept in the order they were started; starting twice changes nothing. */
  g_assert_true (cc_store_set_wanted (fixture->store, "optinout", TRUE, &error));
  g_assert_true (cc_store_set_wanted (fixture->store, "ingress", TRUE, &error));
  g_assert_true (cc_store_set_wanted (fixture->store, "optinout", TRUE, &error));
  g_assert_no_error (error);
  wanted = list_wanted (fixture->store);
  g_assert_cmpstrv (wanted, ((const char * const []) { "optinout", "ingress", NULL }));
  g_clear_pointer (&wanted, g_strfreev);

  /* Durable at once: another connection (another process) sees it. */
  again = cc_store_open (fixture->path, &error);
  g_assert_no_error (error);
  wanted = list_wanted (again);
  g_assert_cmpuint (g_strv_length (wanted), ==, 2);
  g_clear_pointer (&wanted, g_strfreev);

  g_assert_true (cc_store_set_wanted (again, "optinout", FALSE, &error));
  g_assert_true (cc_store_set_wanted (again, "egress", FALSE, &error));
  g_assert_no_error (error);
  wanted = list_wanted (fixture->store);
  g_assert_cmpstrv (wanted, ((const char * const []) { "ingress", NULL }));
}

/* A database of schema 3 carries the marker that a clean shutdown wrote
 * over: what was running then is what the user wants running now. */
static void
test_wanted_migration (Fixture       *fixture,
                       gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) wanted = NULL;
  sqlite3 *db = NULL;

  g_clear_object (&fixture->store);
  g_assert_cmpint (sqlite3_open (fixture->path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db,
                                 "ALTER TABLE queue DROP COLUMN behind;"
                                 "DROP INDEX errors_by_reason;"
                                 "DROP TABLE api_calls;"
                                 "DROP TABLE wanted;"
                                 "INSERT INTO maps VALUES ('engine:resume', 'egress', 'running');"
                                 "INSERT INTO maps VALUES ('engine:resume', 'ingress', 'stopped');"
                                 "INSERT INTO maps VALUES ('identity', 'id-1', 'PKEY-1');"
                                 "PRAGMA user_version = 3",
                                 NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);

  fixture->store = cc_store_open (fixture->path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (store_query_int (fixture->path, "PRAGMA user_version"), ==, 7);
  wanted = list_wanted (fixture->store);
  g_assert_cmpstrv (wanted, ((const char * const []) { "egress", NULL }));
  g_assert_cmpint (store_query_int (fixture->path,
                                    "SELECT COUNT (*) FROM maps WHERE space = 'engine:resume'"),
                   ==, 0);
  g_assert_cmpint (store_query_int (fixture->path, "SELECT COUNT (*) FROM maps"), ==, 1);
}

/* A database of schema 6 with a change waiting behind a leased one of
 * the same record: after the migration the lease still passes over it,
 * also when it lies between two records that may be leased, until the
 * leased one is settled. */
static void
test_behind_migration (Fixture       *fixture,
                       gconstpointer  user_data)
{
  g_autoptr(GPtrArray) first = NULL;
  g_autoptr(GPtrArray) around = NULL;
  g_autoptr(GPtrArray) after = NULL;
  gint64 id_behind, id;
  sqlite3 *db = NULL;

  store_enqueue_one (fixture->store, "k1", "{\"v\":\"a\"}", 0, &id);
  first = store_lease (fixture->store, 10);
  g_assert_cmpuint (first->len, ==, 1);
  store_enqueue_one (fixture->store, "k2", "{}", 0, &id);
  store_enqueue_one (fixture->store, "k1", "{\"v\":\"b\"}", 0, &id_behind);
  store_enqueue_one (fixture->store, "k3", "{}", 0, &id);
  g_clear_object (&fixture->store);

  g_assert_cmpint (sqlite3_open (fixture->path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db,
                                 "ALTER TABLE queue DROP COLUMN behind;"
                                 "PRAGMA user_version = 6",
                                 NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);
  fixture->store = cc_store_open (fixture->path, NULL);
  g_assert_nonnull (fixture->store);
  g_assert_cmpint (store_query_int (fixture->path, "PRAGMA user_version"), ==, 7);

  around = store_lease (fixture->store, 10);
  g_assert_cmpuint (around->len, ==, 2);
  g_assert_cmpstr (store_item_at (around, 0)->key, ==, "k2");
  g_assert_cmpstr (store_item_at (around, 1)->key, ==, "k3");
  g_assert_cmpuint (store_backlog (fixture->store, WORKFLOW), ==, 4);

  store_ack_all (fixture->store, first);
  after = store_lease (fixture->store, 10);
  g_assert_cmpuint (after->len, ==, 1);
  g_assert_cmpint (store_item_at (after, 0)->id, ==, id_behind);
  g_assert_cmpstr (store_item_at (after, 0)->payload, ==, "{\"v\":\"b\"}");
  store_ack_all (fixture->store, around);
  store_ack_all (fixture->store, after);
  g_assert_cmpuint (store_backlog (fixture->store, WORKFLOW), ==, 0);
}

/* --- API calls of the day ------------------------------------------------- */

static guint64
api_calls (CcStore    *store,
           const char *day)
{
  g_autoptr(GError) error = NULL;
  guint64 calls = G_MAXUINT64;

  g_assert_true (cc_store_get_api_calls (store, "campaign", day, &calls, &error));
  g_assert_no_error (error);
  return calls;
}

static void
test_api_calls (Fixture       *fixture,
                gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CcStore) again = NULL;

  g_assert_cmpuint (api_calls (fixture->store, "2026-01-30"), ==, 0);
  g_assert_true (cc_store_set_api_calls (fixture->store, "campaign", "2026-01-30", 40, &error));
  g_assert_true (cc_store_set_api_calls (fixture->store, "campaign", "2026-01-30", 100, &error));
  g_assert_true (cc_store_set_api_calls (fixture->store, "other", "2026-01-29", 7, &error));
  g_assert_no_error (error);

  /* Another connection (the next engine) reads what was set. */
  again = cc_store_open (fixture->path, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (api_calls (again, "2026-01-30"), ==, 100);

  /* A new day starts from nothing and the old one is forgotten; another
   * service's count is its own. */
  g_assert_true (cc_store_set_api_calls (again, "campaign", "2026-01-31", 1, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (api_calls (fixture->store, "2026-01-30"), ==, 0);
  g_assert_cmpuint (api_calls (fixture->store, "2026-01-31"), ==, 1);
  g_assert_cmpint (store_query_int (fixture->path, "SELECT COUNT (*) FROM api_calls"), ==, 2);
}

/* --- checkpoints ------------------------------------------------------- */

/* Queues @n records (a multiple of 100) of about a page each, 100 to a
 * transaction, with keys key-<first>… */
static void
enqueue_pages (CcStore *store,
               guint    first,
               guint    n)
{
  g_autofree char *filler = g_strnfill (3500, 'x');

  for (guint i = first; i < first + n; i += 100)
    {
      g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func ((GDestroyNotify) cc_queue_item_free);
      g_autoptr(GError) error = NULL;

      for (guint j = i; j < i + 100; j++)
        {
          g_autofree char *key = g_strdup_printf ("key-%06u", j);
          g_autofree char *payload = g_strdup_printf ("{\"n\":%u,\"fill\":\"%s\"}", j, filler);

          g_ptr_array_add (items, cc_queue_item_new ("contacts", key, CC_QUEUE_OP_UPSERT,
                                                     payload, 0));
        }
      cc_store_enqueue (store, WORKFLOW, items, NULL, NULL, &error);
      g_assert_no_error (error);
    }
}

/* The size of @path with @suffix, -1 when there is no such file. */
static gint64
file_size (const char *path,
           const char *suffix)
{
  g_autofree char *name = g_strconcat (path, suffix, NULL);
  GStatBuf buf;

  return g_stat (name, &buf) == 0 ? (gint64) buf.st_size : -1;
}

/* The WAL is copied into the database file while the store is open, by
 * the checkpointer's thread, and its length stays bounded however fast
 * the writes come. */
static void
test_checkpoint (Fixture       *fixture,
                 gconstpointer  user_data)
{
  const guint pages = CC_STORE_CHECKPOINT_PAGES;
  const gint64 limit = (gint64) pages * 4096;
  guint before = cc_store_checkpoint_wait ();

  /* Below the limit nothing is asked for: the pages are in the WAL only. */
  enqueue_pages (fixture->store, 0, pages / 2);
  g_assert_cmpuint (cc_store_checkpoint_wait (), ==, before);
  g_assert_cmpint (file_size (fixture->path, ""), <, limit / 8);
  g_assert_cmpint (file_size (fixture->path, "-wal"), >=, limit / 4);

  /* Past it: a checkpoint runs, and the pages reach the database file. */
  enqueue_pages (fixture->store, pages / 2, pages);
  g_assert_cmpuint (cc_store_checkpoint_wait (), >, before);
  g_assert_cmpint (file_size (fixture->path, ""), >=, limit / 2);
  g_assert_cmpint (file_size (fixture->path, "-wal"), >=, limit);

  /* Twice as much again, with no pause for the checkpointer: the WAL
   * starts again from its beginning rather than growing without end. */
  enqueue_pages (fixture->store, 3 * pages / 2, 2 * pages);
  cc_store_checkpoint_wait ();
  g_assert_cmpint (file_size (fixture->path, "-wal"), <=, 5 * limit / 2);
  g_assert_cmpint (store_query_int (fixture->path, "SELECT COUNT(*) FROM queue"), ==,
                   7 * pages / 2);

  /* The last connection to close removes the WAL: the checkpointer's is
   * never that one. */
  g_clear_object (&fixture->store);
  g_assert_cmpint (file_size (fixture->path, "-wal"), ==, -1);
}

int
main (int    argc,
      char **argv)
{
  if (argc == 4 && g_strcmp0 (argv[1], "--crash-child") == 0)
    return crash_child (argv[2], (guint32) g_ascii_strtoull (argv[3], NULL, 10));

  g_test_init (&argc, &argv, NULL);

#define ADD(name, func) \
  g_test_add (name, Fixture, NULL, store_fixture_setup, func, store_fixture_teardown)

  ADD ("/store/open", test_open);
  ADD ("/store/enqueue-cursor", test_enqueue_cursor);
  ADD ("/store/enqueue-with-maps", test_enqueue_with_maps);
  ADD ("/store/replace-newer", test_replace_newer);
  ADD ("/store/has-queued", test_has_queued);
  ADD ("/store/counters-history", test_counters_history);
  ADD ("/store/history-bounded", test_history_bounded);
  ADD ("/store/cursors", test_cursors);
  ADD ("/store/maps", test_maps);
  ADD ("/store/crash", test_crash);
  ADD ("/store/two-threads", test_two_threads);
  ADD ("/store/wanted", test_wanted);
  ADD ("/store/wanted-migration", test_wanted_migration);
  ADD ("/store/behind-migration", test_behind_migration);
  ADD ("/store/api-calls", test_api_calls);
  ADD ("/store/checkpoint", test_checkpoint);

#undef ADD

  return g_test_run ();
}
