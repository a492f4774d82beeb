/* store-fixture.c — a fresh state database per test, and the checks and
 * short-cuts the store tests share.
 */
#include <sqlite3.h>
#include <glib/gstdio.h>

#include "store-fixture.h"

void
store_remove_tree (const char *path)
{
  if (g_file_test (path, G_FILE_TEST_IS_DIR))
    {
      g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
      const char *name;

      while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *child = g_build_filename (path, name, NULL);

          store_remove_tree (child);
        }
      g_rmdir (path);
    }
  else
    g_unlink (path);
}

char *
store_make_temp_dir (void)
{
  g_autoptr(GError) error = NULL;
  char *dir = g_dir_make_tmp ("cc-store-XXXXXX", &error);

  g_assert_no_error (error);
  return dir;
}

void
store_fixture_setup (Fixture       *fixture,
               gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;

  fixture->dir = store_make_temp_dir ();
  /* A folder that does not exist yet: opening must create it. */
  fixture->path = g_build_filename (fixture->dir, "state", "engine.db", NULL);
  fixture->store = cc_store_open (fixture->path, &error);
  g_assert_no_error (error);
  g_assert_nonnull (fixture->store);
}

void
store_fixture_teardown (Fixture       *fixture,
                  gconstpointer  user_data)
{
  g_clear_object (&fixture->store);
  store_remove_tree (fixture->dir);
  g_free (fixture->dir);
  g_free (fixture->path);
}

/* Runs one integer query on the file through a connection of its own. */
gint64
store_query_int (const char *path,
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
guint64
store_backlog (CcStore    *store,
         const char *workflow)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *sql = g_strdup_printf ("SELECT COUNT (*) FROM queue WHERE workflow = '%s'",
                                          workflow);
  guint64 n = cc_store_count_backlog (store, workflow, &error);

  g_assert_no_error (error);
  g_assert_cmpuint (n, ==, (guint64) store_query_int (cc_store_get_path (store), sql));
  return n;
}

GPtrArray *
store_make_items (const char *mapping,
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

void
store_enqueue_one (CcStore    *store,
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

GPtrArray *
store_lease (CcStore *store,
       guint    max)
{
  g_autoptr(GError) error = NULL;
  GPtrArray *items = cc_store_lease (store, WORKFLOW, max, &error);

  g_assert_no_error (error);
  g_assert_nonnull (items);
  return items;
}

/* Settles one kind of outcome for @ids, as a writer does. */
typedef enum { SETTLE_DONE, SETTLE_AGAIN } SettleHow;

static gboolean
settle_ids (CcStore       *store,
            SettleHow      how,
            const gint64  *ids,
            guint          n_ids,
            GError       **error)
{
  g_autoptr(CcStoreBatch) batch = cc_store_batch_new (WORKFLOW);

  for (guint i = 0; i < n_ids; i++)
    if (how == SETTLE_DONE)
      cc_store_batch_done (batch, ids[i]);
    else
      cc_store_batch_again (batch, ids[i]);
  return cc_store_settle (store, batch, error);
}

gboolean
store_ack (CcStore       *store,
     const gint64  *ids,
     guint          n_ids,
     GError       **error)
{
  return settle_ids (store, SETTLE_DONE, ids, n_ids, error);
}

gboolean
store_release (CcStore       *store,
         const gint64  *ids,
         guint          n_ids,
         GError       **error)
{
  return settle_ids (store, SETTLE_AGAIN, ids, n_ids, error);
}

gboolean
store_fail (CcStore     *store,
      gint64       id,
      guint        http_status,
      const char  *reason,
      GError     **error)
{
  g_autoptr(CcStoreBatch) batch = cc_store_batch_new (WORKFLOW);

  cc_store_batch_fail (batch, id, http_status, reason);
  return cc_store_settle (store, batch, error);
}

CcQueueItem *
store_item_at (GPtrArray *items,
         guint      i)
{
  return g_ptr_array_index (items, i);
}

void
store_ack_all (CcStore   *store,
         GPtrArray *items)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));

  for (guint i = 0; i < items->len; i++)
    g_array_append_val (ids, store_item_at (items, i)->id);
  g_assert_true (store_ack (store, (gint64 *) ids->data, ids->len, &error));
  g_assert_no_error (error);
}
