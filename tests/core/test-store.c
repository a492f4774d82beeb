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
#include "cc-store.h"

#define WORKFLOW "ingress"

typedef struct
{
  char    *dir;
  char    *path;
  CcStore *store;
} Fixture;

/* --- helpers ----------------------------------------------------------- */

static void
remove_tree (const char *path)
{
  if (g_file_test (path, G_FILE_TEST_IS_DIR))
    {
      g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
      const char *name;

      while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *child = g_build_filename (path, name, NULL);

          remove_tree (child);
        }
      g_rmdir (path);
    }
  else
    g_unlink (path);
}

static char *
make_temp_dir (void)
{
  g_autoptr(GError) error = NULL;
  char *dir = g_dir_make_tmp ("cc-store-XXXXXX", &error);

  g_assert_no_error (error);
  return dir;
}

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;

  fixture->dir = make_temp_dir ();
  /* A folder that does not exist yet: opening must create it. */
  fixture->path = g_build_filename (fixture->dir, "state", "engine.db", NULL);
  fixture->store = cc_store_open (fixture->path, &error);
  g_assert_no_error (error);
  g_assert_nonnull (fixture->store);
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  user_data)
{
  g_clear_object (&fixture->store);
  remove_tree (fixture->dir);
  g_free (fixture->dir);
  g_free (fixture->path);
}

/* Runs one integer query on the file through a connection of its own. */
static gint64
query_int (const char *path,
           const char *sql)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  gint64 value;

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READWRITE, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  value = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return value;
}

/* The backlog the store reports, checked against the rows in the file. */
static guint64
backlog (CcStore    *store,
         const char *workflow)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *sql = g_strdup_printf ("SELECT COUNT (*) FROM queue WHERE workflow = '%s'",
                                          workflow);
  guint64 n = cc_store_count_backlog (store, workflow, &error);

  g_assert_no_error (error);
  g_assert_cmpuint (n, ==, (guint64) query_int (cc_store_get_path (store), sql));
  return n;
}

static GPtrArray *
make_items (const char *mapping,
            guint       first,
            guint       n,
            guint       flags)
{
  GPtrArray *items = g_ptr_array_new_with_free_func ((GDestroyNotify) cc_queue_item_free);

  for (guint i = first; i < first + n; i++)
    {
      g_autofree char *key = g_strdup_printf ("key-%05u", i);
      g_autofree char *payload = g_strdup_printf ("{\"n\":%u}", i);

      g_ptr_array_add (items, cc_queue_item_new (mapping, key, CC_QUEUE_OP_UPSERT,
                                                 payload, flags));
    }
  return items;
}

static void
enqueue_one (CcStore    *store,
             const char *key,
             const char *payload,
             guint       flags,
             gint64     *id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func ((GDestroyNotify) cc_queue_item_free);
  CcQueueItem *item = cc_queue_item_new ("contact", key, CC_QUEUE_OP_UPSERT, payload, flags);

  g_ptr_array_add (items, item);
  g_assert_true (cc_store_enqueue (store, WORKFLOW, items, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (item->id, >, 0);
  if (id != NULL)
    *id = item->id;
}

static GPtrArray *
lease (CcStore *store,
       guint    max)
{
  g_autoptr(GError) error = NULL;
  GPtrArray *items = cc_store_lease (store, WORKFLOW, max, &error);

  g_assert_no_error (error);
  g_assert_nonnull (items);
  return items;
}

static CcQueueItem *
item_at (GPtrArray *items,
         guint      i)
{
  return g_ptr_array_index (items, i);
}

static void
ack_all (CcStore   *store,
         GPtrArray *items)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));

  for (guint i = 0; i < items->len; i++)
    g_array_append_val (ids, item_at (items, i)->id);
  g_assert_true (cc_store_ack (store, (gint64 *) ids->data, ids->len, &error));
  g_assert_no_error (error);
}

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
  g_assert_cmpint (query_int (fixture->path, "PRAGMA user_version"), ==, 1);
  /* WAL is a property of the file: a fresh connection sees it. */
  g_assert_cmpint (query_int (fixture->path,
                              "SELECT journal_mode = 'wal' FROM pragma_journal_mode"), ==, 1);

  /* A second connection on the same file while the first is open. */
  again = cc_store_open (fixture->path, &error);
  g_assert_no_error (error);
  g_assert_nonnull (again);
  g_clear_object (&again);

  /* A file from a newer version is refused, not migrated backwards. */
  g_clear_object (&fixture->store);
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
  g_autoptr(GPtrArray) page1 = make_items ("contact", 0, 3, 0);
  g_autoptr(GPtrArray) page2 = make_items ("contact", 3, 3, 0);
  g_autoptr(GPtrArray) page3 = make_items ("contact", 6, 2, 0);
  g_autofree char *cursor = NULL;
  CcQueueItem *bad;

  g_assert_true (cc_store_enqueue (fixture->store, WORKFLOW, page1, "delta", "token-1", &error));
  g_assert_no_error (error);
  for (guint i = 0; i < page1->len; i++)
    {
      g_assert_cmpint (item_at (page1, i)->id, >, 0);
      g_assert_cmpint (item_at (page1, i)->queued_at, >, 0);
    }
  g_assert_cmpint (item_at (page1, 0)->id, <, item_at (page1, 1)->id);
  cursor = cc_store_get_cursor (fixture->store, WORKFLOW, "delta", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (cursor, ==, "token-1");
  g_assert_cmpuint (backlog (fixture->store, WORKFLOW), ==, 3);

  /* An item without a key, after two good ones: the whole page and its
   * cursor roll back. */
  bad = item_at (page2, 2);
  g_clear_pointer (&bad->key, g_free);
  g_assert_false (cc_store_enqueue (fixture->store, WORKFLOW, page2, "delta", "token-2", &error));
  g_assert_error (error, CC_ERROR, CC_ERROR_FAILED);
  g_assert_true (g_str_has_prefix (error->message, "Could not queue records in "));
  g_assert_nonnull (strstr (error->message, fixture->path));
  g_clear_error (&error);
  for (guint i = 0; i < page2->len; i++)
    g_assert_cmpint (item_at (page2, i)->id, ==, 0);
  g_assert_cmpuint (backlog (fixture->store, WORKFLOW), ==, 3);
  g_clear_pointer (&cursor, g_free);
  cursor = cc_store_get_cursor (fixture->store, WORKFLOW, "delta", &error);
  g_assert_cmpstr (cursor, ==, "token-1");

  /* A row SQLite itself refuses (an op outside the CHECK constraint). The
   * message must not carry the payload. */
  bad = item_at (page3, 1);
  bad->op = 7;
  g_free (bad->payload);
  bad->payload = g_strdup ("{\"secret\":\"do-not-echo\"}");
  g_assert_false (cc_store_enqueue (fixture->store, WORKFLOW, page3, "delta", "token-3", &error));
  g_assert_error (error, CC_ERROR, CC_ERROR_FAILED);
  g_assert_true (g_str_has_prefix (error->message, "Could not queue records in "));
  g_assert_null (strstr (error->message, "do-not-echo"));
  g_clear_error (&error);
  g_assert_cmpuint (backlog (fixture->store, WORKFLOW), ==, 3);
  g_clear_pointer (&cursor, g_free);
  cursor = cc_store_get_cursor (fixture->store, WORKFLOW, "delta", &error);
  g_assert_cmpstr (cursor, ==, "token-1");

  /* Once fixed, the same page goes in; a NULL value clears the cursor in
   * the same transaction. */
  bad->op = CC_QUEUE_OP_DELETE;
  g_assert_true (cc_store_enqueue (fixture->store, WORKFLOW, page3, "delta", NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (backlog (fixture->store, WORKFLOW), ==, 5);
  g_clear_pointer (&cursor, g_free);
  cursor = cc_store_get_cursor (fixture->store, WORKFLOW, "delta", &error);
  g_assert_no_error (error);
  g_assert_null (cursor);

  /* No items, only a cursor; and other workflows are apart. */
  g_assert_true (cc_store_enqueue (fixture->store, "egress", NULL, "journal", "42", &error));
  g_assert_no_error (error);
  cursor = cc_store_get_cursor (fixture->store, "egress", "journal", &error);
  g_assert_cmpstr (cursor, ==, "42");
  g_assert_cmpuint (backlog (fixture->store, "egress"), ==, 0);
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

  enqueue_one (fixture->store, "k1", "{\"v\":\"a\"}", CC_QUEUE_FLAG_FULL, &id_a);
  enqueue_one (fixture->store, "k1", "{\"v\":\"b\"}", 0, &id_b);
  g_assert_cmpint (id_b, ==, id_a);
  g_assert_cmpuint (backlog (fixture->store, WORKFLOW), ==, 1);

  first = lease (fixture->store, 10);
  g_assert_cmpuint (first->len, ==, 1);
  g_assert_cmpint (item_at (first, 0)->id, ==, id_a);
  g_assert_cmpstr (item_at (first, 0)->payload, ==, "{\"v\":\"b\"}");
  g_assert_cmpuint (item_at (first, 0)->flags, ==, CC_QUEUE_FLAG_FULL);
  queued_at = item_at (first, 0)->queued_at;

  /* While k1 is leased, a newer change waits behind it as its own row. */
  enqueue_one (fixture->store, "k1", "{\"v\":\"c\"}", 0, &id_c);
  g_assert_cmpint (id_c, !=, id_a);
  enqueue_one (fixture->store, "k2", "{\"v\":\"x\"}", 0, &id_other);
  g_assert_cmpuint (backlog (fixture->store, WORKFLOW), ==, 3);

  blocked = lease (fixture->store, 10);
  g_assert_cmpuint (blocked->len, ==, 1);
  g_assert_cmpint (item_at (blocked, 0)->id, ==, id_other);
  ack_all (fixture->store, blocked);

  ack_all (fixture->store, first);
  g_assert_cmpuint (backlog (fixture->store, WORKFLOW), ==, 1);
  second = lease (fixture->store, 10);
  g_assert_cmpuint (second->len, ==, 1);
  g_assert_cmpint (item_at (second, 0)->id, ==, id_c);
  g_assert_cmpstr (item_at (second, 0)->payload, ==, "{\"v\":\"c\"}");
  g_assert_cmpuint (item_at (second, 0)->flags, ==, 0);
  g_assert_cmpint (item_at (second, 0)->queued_at, >=, queued_at);
  ack_all (fixture->store, second);

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
    g_assert_cmpint (item_at (page, 0)->id, ==, item_at (page, 2)->id);
    g_assert_cmpuint (backlog (fixture->store, WORKFLOW), ==, 2);
    got = lease (fixture->store, 10);
    g_assert_cmpuint (got->len, ==, 2);
    g_assert_cmpstr (item_at (got, 0)->key, ==, "k3");
    g_assert_cmpint (item_at (got, 0)->op, ==, CC_QUEUE_OP_DELETE);
    g_assert_null (item_at (got, 0)->payload);
  }
}

/* --- lease, ack, release ----------------------------------------------- */

static void
test_lease_order (Fixture       *fixture,
                  gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) a = make_items ("contact", 0, 6, 0);
  g_autoptr(GPtrArray) b = make_items ("account", 6, 4, 0);
  g_autoptr(GPtrArray) none = NULL;
  g_autoptr(GPtrArray) batch1 = NULL;
  g_autoptr(GPtrArray) batch2 = NULL;
  g_autoptr(GPtrArray) batch3 = NULL;

  g_assert_true (cc_store_enqueue (fixture->store, WORKFLOW, a, NULL, NULL, &error));
  g_assert_true (cc_store_enqueue (fixture->store, WORKFLOW, b, NULL, NULL, &error));
  g_assert_no_error (error);

  none = lease (fixture->store, 0);
  g_assert_cmpuint (none->len, ==, 0);

  batch1 = lease (fixture->store, 4);
  g_assert_cmpuint (batch1->len, ==, 4);
  for (guint i = 0; i < 4; i++)
    {
      g_assert_cmpint (item_at (batch1, i)->id, ==, item_at (a, i)->id);
      g_assert_cmpstr (item_at (batch1, i)->key, ==, item_at (a, i)->key);
      g_assert_cmpstr (item_at (batch1, i)->mapping, ==, "contact");
      g_assert_cmpstr (item_at (batch1, i)->payload, ==, item_at (a, i)->payload);
      g_assert_cmpint (item_at (batch1, i)->op, ==, CC_QUEUE_OP_UPSERT);
      g_assert_cmpuint (item_at (batch1, i)->attempts, ==, 0);
    }

  batch2 = lease (fixture->store, 100);
  g_assert_cmpuint (batch2->len, ==, 6);
  g_assert_cmpint (item_at (batch2, 0)->id, ==, item_at (a, 4)->id);
  g_assert_cmpint (item_at (batch2, 5)->id, ==, item_at (b, 3)->id);
  g_assert_cmpstr (item_at (batch2, 5)->mapping, ==, "account");
  for (guint i = 1; i < batch2->len; i++)
    g_assert_cmpint (item_at (batch2, i - 1)->id, <, item_at (batch2, i)->id);

  batch3 = lease (fixture->store, 100);
  g_assert_cmpuint (batch3->len, ==, 0);
  /* Leased items still count. */
  g_assert_cmpuint (backlog (fixture->store, WORKFLOW), ==, 10);

  /* Another workflow's items are not leased by this one. */
  g_assert_cmpuint (backlog (fixture->store, "egress"), ==, 0);
}

static void
test_ack_release (Fixture       *fixture,
                  gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) items = make_items ("contact", 0, 5, 0);
  g_autoptr(GPtrArray) batch = NULL;
  g_autoptr(GPtrArray) again = NULL;
  g_autoptr(GPtrArray) merged = NULL;
  gint64 ack_ids[2], release_ids[2];
  gint64 unknown = 999999;
  gint64 newer_id;

  g_assert_true (cc_store_enqueue (fixture->store, WORKFLOW, items, NULL, NULL, &error));
  batch = lease (fixture->store, 4);
  g_assert_cmpuint (batch->len, ==, 4);

  ack_ids[0] = item_at (batch, 0)->id;
  ack_ids[1] = item_at (batch, 2)->id;
  g_assert_true (cc_store_ack (fixture->store, ack_ids, 2, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (backlog (fixture->store, WORKFLOW), ==, 3);
  /* Acking again, or an id that never was, changes nothing. */
  g_assert_true (cc_store_ack (fixture->store, ack_ids, 2, &error));
  g_assert_true (cc_store_ack (fixture->store, &unknown, 1, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (backlog (fixture->store, WORKFLOW), ==, 3);

  release_ids[0] = item_at (batch, 1)->id;
  release_ids[1] = item_at (batch, 3)->id;
  g_assert_true (cc_store_release (fixture->store, release_ids, 2, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (backlog (fixture->store, WORKFLOW), ==, 3);

  /* Released items are leasable again, in their old place, one attempt
   * further. */
  again = lease (fixture->store, 10);
  g_assert_cmpuint (again->len, ==, 3);
  g_assert_cmpint (item_at (again, 0)->id, ==, release_ids[0]);
  g_assert_cmpuint (item_at (again, 0)->attempts, ==, 1);
  g_assert_cmpint (item_at (again, 1)->id, ==, release_ids[1]);
  g_assert_cmpuint (item_at (again, 1)->attempts, ==, 1);
  g_assert_cmpint (item_at (again, 2)->id, ==, item_at (items, 4)->id);
  g_assert_cmpuint (item_at (again, 2)->attempts, ==, 0);

  /* Releasing an item with a newer change waiting behind it: one row
   * remains, in the older place, with the newer payload. */
  enqueue_one (fixture->store, item_at (again, 0)->key, "{\"newer\":true}",
               CC_QUEUE_FLAG_FULL, &newer_id);
  g_assert_cmpint (newer_id, !=, release_ids[0]);
  g_assert_cmpuint (backlog (fixture->store, WORKFLOW), ==, 4);
  g_assert_true (cc_store_release (fixture->store, release_ids, 1, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (backlog (fixture->store, WORKFLOW), ==, 3);
  merged = lease (fixture->store, 10);
  g_assert_cmpuint (merged->len, ==, 1);
  g_assert_cmpint (item_at (merged, 0)->id, ==, release_ids[0]);
  g_assert_cmpstr (item_at (merged, 0)->payload, ==, "{\"newer\":true}");
  g_assert_cmpuint (item_at (merged, 0)->flags, ==, CC_QUEUE_FLAG_FULL);
  g_assert_cmpuint (item_at (merged, 0)->attempts, ==, 2);

  ack_all (fixture->store, merged);
  ack_all (fixture->store, again);
  g_assert_cmpuint (backlog (fixture->store, WORKFLOW), ==, 0);
}

static void
test_release_all_after_crash (Fixture       *fixture,
                              gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) items = make_items ("contact", 0, 5, 0);
  g_autoptr(GPtrArray) held = NULL;
  g_autoptr(GPtrArray) rest = NULL;
  g_autoptr(GPtrArray) back = NULL;
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  g_assert_true (cc_store_enqueue (fixture->store, WORKFLOW, items, NULL, NULL, &error));
  g_assert_no_error (error);
  held = lease (fixture->store, 3);
  g_assert_cmpuint (held->len, ==, 3);
  /* A newer change of a leased record waits behind it. */
  enqueue_one (fixture->store, item_at (held, 1)->key, "{\"late\":1}", 0, NULL);

  /* The run dies holding its leases. */
  g_clear_object (&fixture->store);
  fixture->store = cc_store_open (fixture->path, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (backlog (fixture->store, WORKFLOW), ==, 6);

  rest = lease (fixture->store, 10);
  g_assert_cmpuint (rest->len, ==, 2);

  g_assert_true (cc_store_release_all (fixture->store, WORKFLOW, &error));
  g_assert_no_error (error);
  /* The leased row and the change behind it became one. */
  g_assert_cmpuint (backlog (fixture->store, WORKFLOW), ==, 5);
  back = lease (fixture->store, 10);
  g_assert_cmpuint (back->len, ==, 5);
  for (guint i = 0; i < back->len; i++)
    {
      CcQueueItem *item = item_at (back, i);

      g_assert_true (g_hash_table_add (seen, g_strdup (item->key)));
      /* A lease left by a dead run is not a failed attempt. */
      g_assert_cmpuint (item->attempts, ==, 0);
      if (g_strcmp0 (item->key, item_at (held, 1)->key) == 0)
        {
          g_assert_cmpint (item->id, ==, item_at (held, 1)->id);
          g_assert_cmpstr (item->payload, ==, "{\"late\":1}");
        }
    }
  for (guint i = 0; i < items->len; i++)
    g_assert_true (g_hash_table_contains (seen, item_at (items, i)->key));
  ack_all (fixture->store, back);
  g_assert_cmpuint (backlog (fixture->store, WORKFLOW), ==, 0);

  /* clear_queue drops leased and waiting items alike. */
  {
    g_autoptr(GPtrArray) more = make_items ("contact", 10, 4, 0);
    g_autoptr(GPtrArray) some = NULL;

    g_assert_true (cc_store_enqueue (fixture->store, WORKFLOW, more, NULL, NULL, &error));
    some = lease (fixture->store, 2);
    g_assert_true (cc_store_clear_queue (fixture->store, WORKFLOW, &error));
    g_assert_no_error (error);
    g_assert_cmpuint (backlog (fixture->store, WORKFLOW), ==, 0);
  }
}

/* --- error log --------------------------------------------------------- */

static void
test_fail_and_retry (Fixture       *fixture,
                     gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) items = make_items ("contact", 0, 5, CC_QUEUE_FLAG_FULL);
  g_autoptr(GPtrArray) batch = NULL;
  g_autoptr(GPtrArray) list = NULL;
  g_autoptr(GPtrArray) page = NULL;
  g_autoptr(GPtrArray) retried = NULL;
  CcErrorEntry *entry;
  gint64 not_leased_id;
  gint64 n;

  g_assert_true (cc_store_enqueue (fixture->store, WORKFLOW, items, NULL, NULL, &error));
  batch = lease (fixture->store, 3);

  g_assert_true (cc_store_fail (fixture->store, item_at (batch, 0)->id, 400,
                                "email: not a valid address", &error));
  g_assert_no_error (error);
  g_assert_true (cc_store_fail (fixture->store, item_at (batch, 2)->id, 0,
                                "value too long for firstName", &error));
  g_assert_no_error (error);
  g_assert_cmpuint (backlog (fixture->store, WORKFLOW), ==, 3);
  g_assert_cmpuint (cc_store_count_errors (fixture->store, WORKFLOW, &error), ==, 2);
  g_assert_cmpuint (cc_store_count_errors (fixture->store, "egress", &error), ==, 0);

  /* Only a leased item can fail. */
  not_leased_id = item_at (items, 4)->id;
  g_assert_false (cc_store_fail (fixture->store, not_leased_id, 400, "x", &error));
  g_assert_error (error, CC_ERROR, CC_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_cmpuint (backlog (fixture->store, WORKFLOW), ==, 3);

  list = cc_store_list_errors (fixture->store, WORKFLOW, 0, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, 2);
  entry = g_ptr_array_index (list, 0);      /* newest first */
  g_assert_cmpstr (entry->key, ==, item_at (batch, 2)->key);
  g_assert_cmpuint (entry->http_status, ==, 0);
  g_assert_cmpstr (entry->reason, ==, "value too long for firstName");
  entry = g_ptr_array_index (list, 1);
  g_assert_cmpstr (entry->mapping, ==, "contact");
  g_assert_cmpstr (entry->key, ==, item_at (batch, 0)->key);
  g_assert_cmpstr (entry->payload, ==, item_at (batch, 0)->payload);
  g_assert_cmpint (entry->op, ==, CC_QUEUE_OP_UPSERT);
  g_assert_cmpuint (entry->flags, ==, CC_QUEUE_FLAG_FULL);
  g_assert_cmpuint (entry->http_status, ==, 400);
  g_assert_cmpstr (entry->reason, ==, "email: not a valid address");
  g_assert_cmpint (entry->failed_at, >, 0);
  g_assert_cmpint (entry->id, <, ((CcErrorEntry *) g_ptr_array_index (list, 0))->id);

  page = cc_store_list_errors (fixture->store, WORKFLOW, 1, 1, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (page->len, ==, 1);
  g_assert_cmpint (((CcErrorEntry *) g_ptr_array_index (page, 0))->id, ==, entry->id);
  g_clear_pointer (&page, g_ptr_array_unref);
  page = cc_store_list_errors (fixture->store, WORKFLOW, 2, 10, &error);
  g_assert_cmpuint (page->len, ==, 0);

  /* Retry one entry, then all. */
  n = cc_store_retry_errors (fixture->store, WORKFLOW, entry->id, &error);
  g_assert_no_error (error);
  g_assert_cmpint (n, ==, 1);
  g_assert_cmpuint (cc_store_count_errors (fixture->store, WORKFLOW, &error), ==, 1);
  g_assert_cmpuint (backlog (fixture->store, WORKFLOW), ==, 4);
  n = cc_store_retry_errors (fixture->store, WORKFLOW, entry->id, &error);
  g_assert_cmpint (n, ==, 0);
  n = cc_store_retry_errors (fixture->store, WORKFLOW, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpint (n, ==, 1);
  g_assert_cmpuint (cc_store_count_errors (fixture->store, WORKFLOW, &error), ==, 0);
  g_assert_cmpuint (backlog (fixture->store, WORKFLOW), ==, 5);

  /* Back at the end of the queue, as they were, with attempts 0. */
  ack_all (fixture->store, batch);
  retried = lease (fixture->store, 10);
  g_assert_cmpuint (retried->len, ==, 4);
  g_assert_cmpstr (item_at (retried, 2)->key, ==, item_at (batch, 0)->key);
  g_assert_cmpstr (item_at (retried, 2)->payload, ==, item_at (batch, 0)->payload);
  g_assert_cmpuint (item_at (retried, 2)->flags, ==, CC_QUEUE_FLAG_FULL);
  g_assert_cmpuint (item_at (retried, 2)->attempts, ==, 0);
  g_assert_cmpstr (item_at (retried, 3)->key, ==, item_at (batch, 2)->key);
  ack_all (fixture->store, retried);
  g_assert_cmpuint (backlog (fixture->store, WORKFLOW), ==, 0);
}

static void
test_retry_keeps_newest (Fixture       *fixture,
                         gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) first = NULL;
  g_autoptr(GPtrArray) second = NULL;
  g_autoptr(GPtrArray) third = NULL;
  g_autoptr(GPtrArray) result = NULL;
  gint64 waiting_id;

  /* k failed twice (v1, then v2); a third change v3 waits in the queue. */
  enqueue_one (fixture->store, "k", "{\"v\":1}", CC_QUEUE_FLAG_FULL, NULL);
  first = lease (fixture->store, 10);
  enqueue_one (fixture->store, "k", "{\"v\":2}", 0, NULL);
  g_assert_true (cc_store_fail (fixture->store, item_at (first, 0)->id, 400, "bad", &error));
  second = lease (fixture->store, 10);
  g_assert_cmpstr (item_at (second, 0)->payload, ==, "{\"v\":2}");
  enqueue_one (fixture->store, "k", "{\"v\":3}", 0, &waiting_id);
  g_assert_true (cc_store_fail (fixture->store, item_at (second, 0)->id, 400, "bad", &error));
  g_assert_no_error (error);
  g_assert_cmpuint (backlog (fixture->store, WORKFLOW), ==, 1);

  g_assert_cmpint (cc_store_retry_errors (fixture->store, WORKFLOW, 0, &error), ==, 2);
  g_assert_no_error (error);
  /* One record, one row: the newest payload, the flags of all. */
  g_assert_cmpuint (backlog (fixture->store, WORKFLOW), ==, 1);
  result = lease (fixture->store, 10);
  g_assert_cmpuint (result->len, ==, 1);
  g_assert_cmpint (item_at (result, 0)->id, ==, waiting_id);
  g_assert_cmpstr (item_at (result, 0)->payload, ==, "{\"v\":3}");
  g_assert_cmpuint (item_at (result, 0)->flags, ==, CC_QUEUE_FLAG_FULL);

  /* Without a waiting row, the later of two failures wins. */
  g_assert_true (cc_store_fail (fixture->store, item_at (result, 0)->id, 400, "bad", &error));
  enqueue_one (fixture->store, "k", "{\"v\":4}", 0, NULL);
  third = lease (fixture->store, 10);
  g_assert_true (cc_store_fail (fixture->store, item_at (third, 0)->id, 422, "bad", &error));
  g_assert_no_error (error);
  g_assert_cmpuint (backlog (fixture->store, WORKFLOW), ==, 0);
  g_assert_cmpint (cc_store_retry_errors (fixture->store, WORKFLOW, 0, &error), ==, 2);
  g_assert_cmpuint (backlog (fixture->store, WORKFLOW), ==, 1);
  g_clear_pointer (&result, g_ptr_array_unref);
  result = lease (fixture->store, 10);
  g_assert_cmpuint (result->len, ==, 1);
  g_assert_cmpstr (item_at (result, 0)->payload, ==, "{\"v\":4}");
  g_assert_cmpuint (item_at (result, 0)->flags, ==, CC_QUEUE_FLAG_FULL);
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
  g_assert_cmpint (query_int (fixture->path,
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
  g_assert_cmpint (query_int (fixture->path,
                              "SELECT COUNT (*) FROM cursors WHERE workflow = 'ingress'"), ==, 0);
  g_assert_cmpint (query_int (fixture->path,
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
  g_assert_cmpint (query_int (fixture->path,
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

  g_thread_unref (g_thread_new ("killer", killer_thread,
                                GUINT_TO_POINTER (g_rand_int_range (rand, 20000, 250000))));
  for (;; page++)
    {
      g_autofree char *mapping = g_strdup_printf ("page-%05u", page);
      g_autofree char *next = g_strdup_printf ("%u", page + 1);
      g_autoptr(GPtrArray) items = make_items (mapping, 0, CRASH_PAGE, 0);

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
      g_assert_cmpuint (pages, >=, total_pages);
      total_pages = pages;

      /* The cursor matches the rows exactly: every page before it is
       * whole, and none after it exists, not even in part. */
      g_assert_cmpuint (backlog (store, WORKFLOW), ==, (guint64) pages * CRASH_PAGE);
      g_assert_cmpint (query_int (fixture->path, "SELECT COUNT (DISTINCT mapping) FROM queue"),
                       ==, pages);
      bad_pages = query_int (fixture->path,
                             "SELECT COUNT (*) FROM (SELECT mapping FROM queue"
                             " GROUP BY mapping HAVING COUNT (*) != 1000"
                             " OR COUNT (DISTINCT key) != 1000)");
      g_assert_cmpint (bad_pages, ==, 0);
      if (pages > 0)
        {
          g_autofree char *sql = g_strdup_printf ("SELECT MAX (mapping) = 'page-%05u' FROM queue",
                                                  pages - 1);

          g_assert_cmpint (query_int (fixture->path, sql), ==, 1);
        }
      g_assert_cmpint (query_int (fixture->path,
                                  "SELECT integrity_check = 'ok' FROM pragma_integrity_check"),
                       ==, 1);
    }
  /* The rounds must have had time to commit something. */
  g_assert_cmpuint (total_pages, >, 0);
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
      g_autoptr(GPtrArray) items = make_items ("contact", first, THREAD_PAGE, 0);
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
  gint64 deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;
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
        g_array_append_val (ids, item_at (items, i)->id);

      /* Now and then a batch fails transiently and comes back later. */
      if (++batches % 7 == 0)
        {
          g_assert_true (cc_store_release (store, (gint64 *) ids->data, ids->len, &error));
          g_assert_no_error (error);
          data->released += ids->len;
          continue;
        }
      g_assert_true (cc_store_ack (store, (gint64 *) ids->data, ids->len, &error));
      g_assert_no_error (error);
      for (guint i = 0; i < items->len; i++)
        {
          const char *key = item_at (items, i)->key;
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
  g_assert_cmpuint (backlog (fixture->store, WORKFLOW), ==, 0);
}

int
main (int    argc,
      char **argv)
{
  if (argc == 4 && g_strcmp0 (argv[1], "--crash-child") == 0)
    return crash_child (argv[2], (guint32) g_ascii_strtoull (argv[3], NULL, 10));

  g_test_init (&argc, &argv, NULL);

#define ADD(name, func) \
  g_test_add (name, Fixture, NULL, fixture_setup, func, fixture_teardown)

  ADD ("/store/open", test_open);
  ADD ("/store/enqueue-cursor", test_enqueue_cursor);
  ADD ("/store/replace-newer", test_replace_newer);
  ADD ("/store/lease-order", test_lease_order);
  ADD ("/store/ack-release", test_ack_release);
  ADD ("/store/release-all-after-crash", test_release_all_after_crash);
  ADD ("/store/fail-and-retry", test_fail_and_retry);
  ADD ("/store/retry-keeps-newest", test_retry_keeps_newest);
  ADD ("/store/counters-history", test_counters_history);
  ADD ("/store/history-bounded", test_history_bounded);
  ADD ("/store/cursors", test_cursors);
  ADD ("/store/maps", test_maps);
  ADD ("/store/crash", test_crash);
  ADD ("/store/two-threads", test_two_threads);

#undef ADD

  return g_test_run ();
}
