/* test-store-settle.c — leasing and settling on a real SQLite file: the
 * order of leases, what cc_store_settle() does with done, given-back and
 * refused items, with the identity-map changes and counters of a lease,
 * all in one transaction; the error log and retrying from it.
 */
#include <sqlite3.h>

#include "cc-error.h"
#include "store-fixture.h"

/* --- lease, ack, release ----------------------------------------------- */

static void
test_lease_order (Fixture       *fixture,
                  gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) a = store_make_items ("contact", 0, 6, 0);
  g_autoptr(GPtrArray) b = store_make_items ("account", 6, 4, 0);
  g_autoptr(GPtrArray) none = NULL;
  g_autoptr(GPtrArray) batch1 = NULL;
  g_autoptr(GPtrArray) batch2 = NULL;
  g_autoptr(GPtrArray) batch3 = NULL;

  g_assert_true (cc_store_enqueue (fixture->store, WORKFLOW, a, NULL, NULL, &error));
  g_assert_true (cc_store_enqueue (fixture->store, WORKFLOW, b, NULL, NULL, &error));
  g_assert_no_error (error);

  none = store_lease (fixture->store, 0);
  g_assert_cmpuint (none->len, ==, 0);

  batch1 = store_lease (fixture->store, 4);
  g_assert_cmpuint (batch1->len, ==, 4);
  for (guint i = 0; i < 4; i++)
    {
      g_assert_cmpint (store_item_at (batch1, i)->id, ==, store_item_at (a, i)->id);
      g_assert_cmpstr (store_item_at (batch1, i)->key, ==, store_item_at (a, i)->key);
      g_assert_cmpstr (store_item_at (batch1, i)->mapping, ==, "contact");
      g_assert_cmpstr (store_item_at (batch1, i)->payload, ==, store_item_at (a, i)->payload);
      g_assert_cmpint (store_item_at (batch1, i)->op, ==, CC_QUEUE_OP_UPSERT);
      g_assert_cmpuint (store_item_at (batch1, i)->attempts, ==, 0);
    }

  batch2 = store_lease (fixture->store, 100);
  g_assert_cmpuint (batch2->len, ==, 6);
  g_assert_cmpint (store_item_at (batch2, 0)->id, ==, store_item_at (a, 4)->id);
  g_assert_cmpint (store_item_at (batch2, 5)->id, ==, store_item_at (b, 3)->id);
  g_assert_cmpstr (store_item_at (batch2, 5)->mapping, ==, "account");
  for (guint i = 1; i < batch2->len; i++)
    g_assert_cmpint (store_item_at (batch2, i - 1)->id, <, store_item_at (batch2, i)->id);

  batch3 = store_lease (fixture->store, 100);
  g_assert_cmpuint (batch3->len, ==, 0);
  /* Leased items still count. */
  g_assert_cmpuint (store_backlog (fixture->store, WORKFLOW), ==, 10);

  /* Another workflow's items are not leased by this one. */
  g_assert_cmpuint (store_backlog (fixture->store, "egress"), ==, 0);
}

static void
test_ack_release (Fixture       *fixture,
                  gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) items = store_make_items ("contact", 0, 5, 0);
  g_autoptr(GPtrArray) batch = NULL;
  g_autoptr(GPtrArray) again = NULL;
  g_autoptr(GPtrArray) merged = NULL;
  gint64 ack_ids[2], release_ids[2];
  gint64 unknown = 999999;
  gint64 newer_id;

  g_assert_true (cc_store_enqueue (fixture->store, WORKFLOW, items, NULL, NULL, &error));
  batch = store_lease (fixture->store, 4);
  g_assert_cmpuint (batch->len, ==, 4);

  ack_ids[0] = store_item_at (batch, 0)->id;
  ack_ids[1] = store_item_at (batch, 2)->id;
  g_assert_true (store_ack (fixture->store, ack_ids, 2, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (store_backlog (fixture->store, WORKFLOW), ==, 3);
  /* Acking again, or an id that never was, changes nothing. */
  g_assert_true (store_ack (fixture->store, ack_ids, 2, &error));
  g_assert_true (store_ack (fixture->store, &unknown, 1, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (store_backlog (fixture->store, WORKFLOW), ==, 3);

  release_ids[0] = store_item_at (batch, 1)->id;
  release_ids[1] = store_item_at (batch, 3)->id;
  g_assert_true (store_release (fixture->store, release_ids, 2, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (store_backlog (fixture->store, WORKFLOW), ==, 3);

  /* Released items are leasable again, in their old place, one attempt
   * further. */
  again = store_lease (fixture->store, 10);
  g_assert_cmpuint (again->len, ==, 3);
  g_assert_cmpint (store_item_at (again, 0)->id, ==, release_ids[0]);
  g_assert_cmpuint (store_item_at (again, 0)->attempts, ==, 1);
  g_assert_cmpint (store_item_at (again, 1)->id, ==, release_ids[1]);
  g_assert_cmpuint (store_item_at (again, 1)->attempts, ==, 1);
  g_assert_cmpint (store_item_at (again, 2)->id, ==, store_item_at (items, 4)->id);
  g_assert_cmpuint (store_item_at (again, 2)->attempts, ==, 0);

  /* Releasing an item with a newer change waiting behind it: one row
   * remains, in the older place, with the newer payload. */
  store_enqueue_one (fixture->store, store_item_at (again, 0)->key, "{\"newer\":true}",
               CC_QUEUE_FLAG_FULL, &newer_id);
  g_assert_cmpint (newer_id, !=, release_ids[0]);
  g_assert_cmpuint (store_backlog (fixture->store, WORKFLOW), ==, 4);
  g_assert_true (store_release (fixture->store, release_ids, 1, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (store_backlog (fixture->store, WORKFLOW), ==, 3);
  merged = store_lease (fixture->store, 10);
  g_assert_cmpuint (merged->len, ==, 1);
  g_assert_cmpint (store_item_at (merged, 0)->id, ==, release_ids[0]);
  g_assert_cmpstr (store_item_at (merged, 0)->payload, ==, "{\"newer\":true}");
  g_assert_cmpuint (store_item_at (merged, 0)->flags, ==, CC_QUEUE_FLAG_FULL);
  g_assert_cmpuint (store_item_at (merged, 0)->attempts, ==, 2);

  store_ack_all (fixture->store, merged);
  store_ack_all (fixture->store, again);
  g_assert_cmpuint (store_backlog (fixture->store, WORKFLOW), ==, 0);
}

/* A batch settles its own workflow's items: an id of another
 * workflow's lease in it is left alone, with both error logs empty and
 * with one not. */
static void
test_ack_own_workflow (Fixture       *fixture,
                       gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) items = store_make_items ("contact", 0, 2, 0);
  g_autoptr(GPtrArray) leased = NULL;
  g_autoptr(GPtrArray) refused = store_make_items ("contact", 5, 1, 0);
  g_autoptr(GPtrArray) mine = NULL;
  g_autoptr(CcStoreBatch) egress = cc_store_batch_new ("egress");
  gint64 ids[2];

  g_assert_true (cc_store_enqueue (fixture->store, "egress", items, NULL, NULL, &error));
  leased = cc_store_lease (fixture->store, "egress", 10, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (leased->len, ==, 2);
  ids[0] = store_item_at (leased, 0)->id;
  ids[1] = store_item_at (leased, 1)->id;

  g_assert_true (store_ack (fixture->store, ids, 1, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (store_backlog (fixture->store, "egress"), ==, 2);
  /* An entry in the error log: its records' entries are looked for. */
  g_assert_true (cc_store_enqueue (fixture->store, WORKFLOW, refused, NULL, NULL, &error));
  mine = store_lease (fixture->store, 10);
  g_assert_cmpuint (mine->len, ==, 1);
  g_assert_true (store_fail (fixture->store, store_item_at (mine, 0)->id, 400, "refused", &error));
  g_assert_true (store_ack (fixture->store, ids, 1, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (store_backlog (fixture->store, "egress"), ==, 2);
  g_assert_cmpuint (store_backlog (fixture->store, WORKFLOW), ==, 0);

  cc_store_batch_done (egress, ids[0]);
  cc_store_batch_done (egress, ids[1]);
  g_assert_true (cc_store_settle (fixture->store, egress, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (store_backlog (fixture->store, "egress"), ==, 0);
}

static void
test_release_all_after_crash (Fixture       *fixture,
                              gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) items = store_make_items ("contact", 0, 5, 0);
  g_autoptr(GPtrArray) held = NULL;
  g_autoptr(GPtrArray) rest = NULL;
  g_autoptr(GPtrArray) back = NULL;
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  g_assert_true (cc_store_enqueue (fixture->store, WORKFLOW, items, NULL, NULL, &error));
  g_assert_no_error (error);
  held = store_lease (fixture->store, 3);
  g_assert_cmpuint (held->len, ==, 3);
  /* A newer change of a leased record waits behind it. */
  store_enqueue_one (fixture->store, store_item_at (held, 1)->key, "{\"late\":1}", 0, NULL);

  /* The run dies holding its leases. */
  g_clear_object (&fixture->store);
  fixture->store = cc_store_open (fixture->path, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (store_backlog (fixture->store, WORKFLOW), ==, 6);

  rest = store_lease (fixture->store, 10);
  g_assert_cmpuint (rest->len, ==, 2);

  g_assert_true (cc_store_release_all (fixture->store, WORKFLOW, &error));
  g_assert_no_error (error);
  /* The leased row and the change behind it became one. */
  g_assert_cmpuint (store_backlog (fixture->store, WORKFLOW), ==, 5);
  back = store_lease (fixture->store, 10);
  g_assert_cmpuint (back->len, ==, 5);
  for (guint i = 0; i < back->len; i++)
    {
      CcQueueItem *item = store_item_at (back, i);

      g_assert_true (g_hash_table_add (seen, g_strdup (item->key)));
      /* A lease left by a dead run is not a failed attempt. */
      g_assert_cmpuint (item->attempts, ==, 0);
      if (g_strcmp0 (item->key, store_item_at (held, 1)->key) == 0)
        {
          g_assert_cmpint (item->id, ==, store_item_at (held, 1)->id);
          g_assert_cmpstr (item->payload, ==, "{\"late\":1}");
        }
    }
  for (guint i = 0; i < items->len; i++)
    g_assert_true (g_hash_table_contains (seen, store_item_at (items, i)->key));
  store_ack_all (fixture->store, back);
  g_assert_cmpuint (store_backlog (fixture->store, WORKFLOW), ==, 0);

  /* clear_queue drops leased and waiting items alike. */
  {
    g_autoptr(GPtrArray) more = store_make_items ("contact", 10, 4, 0);
    g_autoptr(GPtrArray) some = NULL;

    g_assert_true (cc_store_enqueue (fixture->store, WORKFLOW, more, NULL, NULL, &error));
    some = store_lease (fixture->store, 2);
    g_assert_true (cc_store_clear_queue (fixture->store, WORKFLOW, &error));
    g_assert_no_error (error);
    g_assert_cmpuint (store_backlog (fixture->store, WORKFLOW), ==, 0);
  }
}

/* --- error log --------------------------------------------------------- */

static void
test_fail_and_retry (Fixture       *fixture,
                     gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) items = store_make_items ("contact", 0, 5, CC_QUEUE_FLAG_FULL);
  g_autoptr(GPtrArray) batch = NULL;
  g_autoptr(GPtrArray) list = NULL;
  g_autoptr(GPtrArray) page = NULL;
  g_autoptr(GPtrArray) retried = NULL;
  CcErrorEntry *entry;
  gint64 not_leased_id;
  gint64 n;

  g_assert_true (cc_store_enqueue (fixture->store, WORKFLOW, items, NULL, NULL, &error));
  batch = store_lease (fixture->store, 3);

  g_assert_true (store_fail (fixture->store, store_item_at (batch, 0)->id, 400,
                                "email: not a valid address", &error));
  g_assert_no_error (error);
  g_assert_true (store_fail (fixture->store, store_item_at (batch, 2)->id, 0,
                                "value too long for firstName", &error));
  g_assert_no_error (error);
  g_assert_cmpuint (store_backlog (fixture->store, WORKFLOW), ==, 3);
  g_assert_cmpuint (cc_store_count_errors (fixture->store, WORKFLOW, &error), ==, 2);
  g_assert_cmpuint (cc_store_count_errors (fixture->store, "egress", &error), ==, 0);

  /* Only a leased item can fail: one that is not stays queued. */
  not_leased_id = store_item_at (items, 4)->id;
  g_assert_true (store_fail (fixture->store, not_leased_id, 400, "x", &error));
  g_assert_no_error (error);
  g_assert_cmpuint (store_backlog (fixture->store, WORKFLOW), ==, 3);
  g_assert_cmpuint (cc_store_count_errors (fixture->store, WORKFLOW, &error), ==, 2);

  list = cc_store_list_errors (fixture->store, WORKFLOW, 0, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, 2);
  entry = g_ptr_array_index (list, 0);      /* newest first */
  g_assert_cmpstr (entry->key, ==, store_item_at (batch, 2)->key);
  g_assert_cmpuint (entry->http_status, ==, 0);
  g_assert_cmpstr (entry->reason, ==, "value too long for firstName");
  entry = g_ptr_array_index (list, 1);
  g_assert_cmpstr (entry->mapping, ==, "contact");
  g_assert_cmpstr (entry->key, ==, store_item_at (batch, 0)->key);
  g_assert_cmpstr (entry->payload, ==, store_item_at (batch, 0)->payload);
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
  g_assert_cmpuint (store_backlog (fixture->store, WORKFLOW), ==, 4);
  n = cc_store_retry_errors (fixture->store, WORKFLOW, entry->id, &error);
  g_assert_cmpint (n, ==, 0);
  n = cc_store_retry_errors (fixture->store, WORKFLOW, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpint (n, ==, 1);
  g_assert_cmpuint (cc_store_count_errors (fixture->store, WORKFLOW, &error), ==, 0);
  g_assert_cmpuint (store_backlog (fixture->store, WORKFLOW), ==, 5);

  /* Back at the end of the queue, as they were, with attempts 0. */
  store_ack_all (fixture->store, batch);
  retried = store_lease (fixture->store, 10);
  g_assert_cmpuint (retried->len, ==, 4);
  g_assert_cmpstr (store_item_at (retried, 2)->key, ==, store_item_at (batch, 0)->key);
  g_assert_cmpstr (store_item_at (retried, 2)->payload, ==, store_item_at (batch, 0)->payload);
  g_assert_cmpuint (store_item_at (retried, 2)->flags, ==, CC_QUEUE_FLAG_FULL);
  g_assert_cmpuint (store_item_at (retried, 2)->attempts, ==, 0);
  g_assert_cmpstr (store_item_at (retried, 3)->key, ==, store_item_at (batch, 2)->key);
  store_ack_all (fixture->store, retried);
  g_assert_cmpuint (store_backlog (fixture->store, WORKFLOW), ==, 0);
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
  store_enqueue_one (fixture->store, "k", "{\"v\":1}", CC_QUEUE_FLAG_FULL, NULL);
  first = store_lease (fixture->store, 10);
  store_enqueue_one (fixture->store, "k", "{\"v\":2}", 0, NULL);
  g_assert_true (store_fail (fixture->store, store_item_at (first, 0)->id, 400, "bad", &error));
  second = store_lease (fixture->store, 10);
  g_assert_cmpstr (store_item_at (second, 0)->payload, ==, "{\"v\":2}");
  store_enqueue_one (fixture->store, "k", "{\"v\":3}", 0, &waiting_id);
  g_assert_true (store_fail (fixture->store, store_item_at (second, 0)->id, 400, "bad", &error));
  g_assert_no_error (error);
  g_assert_cmpuint (store_backlog (fixture->store, WORKFLOW), ==, 1);

  g_assert_cmpint (cc_store_retry_errors (fixture->store, WORKFLOW, 0, &error), ==, 2);
  g_assert_no_error (error);
  /* One record, one row: the newest payload, the flags of all. */
  g_assert_cmpuint (store_backlog (fixture->store, WORKFLOW), ==, 1);
  result = store_lease (fixture->store, 10);
  g_assert_cmpuint (result->len, ==, 1);
  g_assert_cmpint (store_item_at (result, 0)->id, ==, waiting_id);
  g_assert_cmpstr (store_item_at (result, 0)->payload, ==, "{\"v\":3}");
  g_assert_cmpuint (store_item_at (result, 0)->flags, ==, CC_QUEUE_FLAG_FULL);

  /* Without a waiting row, the later of two failures wins. */
  g_assert_true (store_fail (fixture->store, store_item_at (result, 0)->id, 400, "bad", &error));
  store_enqueue_one (fixture->store, "k", "{\"v\":4}", 0, NULL);
  third = store_lease (fixture->store, 10);
  g_assert_true (store_fail (fixture->store, store_item_at (third, 0)->id, 422, "bad", &error));
  g_assert_no_error (error);
  g_assert_cmpuint (store_backlog (fixture->store, WORKFLOW), ==, 0);
  g_assert_cmpint (cc_store_retry_errors (fixture->store, WORKFLOW, 0, &error), ==, 2);
  g_assert_cmpuint (store_backlog (fixture->store, WORKFLOW), ==, 1);
  g_clear_pointer (&result, g_ptr_array_unref);
  result = store_lease (fixture->store, 10);
  g_assert_cmpuint (result->len, ==, 1);
  g_assert_cmpstr (store_item_at (result, 0)->payload, ==, "{\"v\":4}");
  g_assert_cmpuint (store_item_at (result, 0)->flags, ==, CC_QUEUE_FLAG_FULL);
}

/* --- one transaction per lease ------------------------------------------ */

static void
test_settle_batch (Fixture       *fixture,
                   gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) items = store_make_items ("contact", 0, 4, 0);
  g_autoptr(GPtrArray) leased = NULL;
  g_autoptr(CcStoreBatch) batch = cc_store_batch_new (WORKFLOW);
  g_autofree char *pkey = NULL;
  const char *pending = NULL;
  guint64 written = 0, failed = 0;

  g_assert_true (cc_store_enqueue (fixture->store, WORKFLOW, items, NULL, NULL, &error));
  leased = store_lease (fixture->store, 4);
  g_assert_cmpuint (leased->len, ==, 4);

  cc_store_batch_done (batch, store_item_at (leased, 0)->id);
  cc_store_batch_done (batch, store_item_at (leased, 1)->id);
  cc_store_batch_add_written (batch, 2);
  cc_store_batch_fail (batch, store_item_at (leased, 2)->id, 400, "email: not valid");
  cc_store_batch_again (batch, store_item_at (leased, 3)->id);
  cc_store_batch_map_set (batch, "identity", "key-00000", "PKEY-0");
  cc_store_batch_map_set (batch, "identity", "key-00001", "PKEY-1");
  cc_store_batch_map_set (batch, "identity", "key-00001", NULL);

  /* Until settled, the map changes are the batch's alone. */
  g_assert_true (cc_store_batch_map_lookup (batch, "identity", "key-00000", &pending));
  g_assert_cmpstr (pending, ==, "PKEY-0");
  g_assert_true (cc_store_batch_map_lookup (batch, "identity", "key-00001", &pending));
  g_assert_null (pending);
  g_assert_false (cc_store_batch_map_lookup (batch, "identity", "key-00002", &pending));
  g_assert_false (cc_store_batch_map_lookup (batch, "other", "key-00000", &pending));
  g_assert_null (cc_store_map_get (fixture->store, "identity", "key-00000", &error));
  g_assert_no_error (error);
  g_assert_cmpuint (cc_store_batch_get_written (batch), ==, 2);
  g_assert_cmpuint (cc_store_batch_get_failed (batch), ==, 1);
  g_assert_cmpuint (cc_store_batch_get_again (batch), ==, 1);

  g_assert_true (cc_store_settle (fixture->store, batch, &error));
  g_assert_no_error (error);

  /* Two gone, one in the error log, one waiting again. */
  g_assert_cmpuint (store_backlog (fixture->store, WORKFLOW), ==, 1);
  g_assert_cmpuint (cc_store_count_errors (fixture->store, WORKFLOW, &error), ==, 1);
  g_assert_cmpint (store_query_int (fixture->path,
                                    "SELECT attempts FROM queue WHERE key = 'key-00003'"), ==, 1);
  pkey = cc_store_map_get (fixture->store, "identity", "key-00000", &error);
  g_assert_cmpstr (pkey, ==, "PKEY-0");
  g_assert_null (cc_store_map_get (fixture->store, "identity", "key-00001", &error));
  g_assert_no_error (error);
  g_assert_true (cc_store_get_counts (fixture->store, WORKFLOW, &written, &failed, &error));
  g_assert_cmpuint (written, ==, 2);
  g_assert_cmpuint (failed, ==, 1);

  /* Cleared, the batch settles nothing more. */
  cc_store_batch_clear (batch);
  g_assert_false (cc_store_batch_map_lookup (batch, "identity", "key-00000", &pending));
  g_assert_cmpuint (cc_store_batch_get_written (batch), ==, 0);
  g_assert_true (cc_store_settle (fixture->store, batch, &error));
  g_assert_true (cc_store_get_counts (fixture->store, WORKFLOW, &written, &failed, &error));
  g_assert_cmpuint (written, ==, 2);
}

/* A settle that cannot commit saves nothing of its batch: the items stay
 * leased, no map change and no count lands. */
static void
test_settle_all_or_nothing (Fixture       *fixture,
                            gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) items = store_make_items ("contact", 0, 2, 0);
  g_autoptr(GPtrArray) leased = NULL;
  g_autoptr(CcStoreBatch) batch = cc_store_batch_new (WORKFLOW);
  guint64 written = 0, failed = 0;
  sqlite3 *blocker = NULL;   /* a connection of its own */

  g_assert_true (cc_store_enqueue (fixture->store, WORKFLOW, items, NULL, NULL, &error));
  leased = store_lease (fixture->store, 2);
  cc_store_batch_done (batch, store_item_at (leased, 0)->id);
  cc_store_batch_fail (batch, store_item_at (leased, 1)->id, 422, "bad");
  cc_store_batch_add_written (batch, 1);
  cc_store_batch_map_set (batch, "identity", "key-00000", "PKEY-0");

  /* The last step of the transaction (the counters) fails, after the
   * acks, the error log and the map have been written. */
  g_assert_cmpint (sqlite3_open (fixture->path, &blocker), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (blocker,
                                 "CREATE TRIGGER refuse BEFORE INSERT ON counters"
                                 " BEGIN SELECT RAISE (ABORT, 'counters refused'); END",
                                 NULL, NULL, NULL), ==, SQLITE_OK);
  g_assert_false (cc_store_settle (fixture->store, batch, &error));
  g_assert_error (error, CC_ERROR, CC_ERROR_FAILED);
  g_assert_nonnull (strstr (error->message, fixture->path));
  g_assert_nonnull (strstr (error->message, "counters refused"));
  g_clear_error (&error);
  g_assert_cmpint (sqlite3_exec (blocker, "DROP TRIGGER refuse", NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (blocker);

  g_assert_cmpuint (store_backlog (fixture->store, WORKFLOW), ==, 2);
  g_assert_cmpint (store_query_int (fixture->path,
                                    "SELECT COUNT (*) FROM queue WHERE leased = 1"), ==, 2);
  g_assert_cmpuint (cc_store_count_errors (fixture->store, WORKFLOW, &error), ==, 0);
  g_assert_null (cc_store_map_get (fixture->store, "identity", "key-00000", &error));
  g_assert_true (cc_store_get_counts (fixture->store, WORKFLOW, &written, &failed, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (written + failed, ==, 0);
}

/* A record written after it failed supersedes its entries in the error
 * log: the log shows only live problems. */
static void
test_settle_supersedes_errors (Fixture       *fixture,
                               gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) first = NULL;
  g_autoptr(GPtrArray) second = NULL;
  g_autoptr(GPtrArray) items = store_make_items ("contact", 0, 2, 0);

  g_assert_true (cc_store_enqueue (fixture->store, WORKFLOW, items, NULL, NULL, &error));
  first = store_lease (fixture->store, 2);
  g_assert_true (store_fail (fixture->store, store_item_at (first, 0)->id, 400, "bad email",
                             &error));
  g_assert_true (store_fail (fixture->store, store_item_at (first, 1)->id, 400, "bad email",
                             &error));
  g_assert_no_error (error);
  g_assert_cmpuint (cc_store_count_errors (fixture->store, WORKFLOW, &error), ==, 2);

  /* key-00000 changes at its source and is written this time. */
  store_enqueue_one (fixture->store, "key-00000", "{\"fixed\":true}", 0, NULL);
  second = store_lease (fixture->store, 10);
  g_assert_cmpuint (second->len, ==, 1);
  store_ack_all (fixture->store, second);

  g_assert_cmpuint (cc_store_count_errors (fixture->store, WORKFLOW, &error), ==, 1);
  g_assert_cmpint (store_query_int (fixture->path,
                                    "SELECT COUNT (*) FROM errors WHERE key = 'key-00001'"), ==, 1);
  g_assert_cmpuint (store_backlog (fixture->store, WORKFLOW), ==, 0);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(name, func) \
  g_test_add (name, Fixture, NULL, store_fixture_setup, func, store_fixture_teardown)

  ADD ("/store/lease-order", test_lease_order);
  ADD ("/store/ack-release", test_ack_release);
  ADD ("/store/ack-own-workflow", test_ack_own_workflow);
  ADD ("/store/release-all-after-crash", test_release_all_after_crash);
  ADD ("/store/fail-and-retry", test_fail_and_retry);
  ADD ("/store/retry-keeps-newest", test_retry_keeps_newest);
  ADD ("/store/settle-batch", test_settle_batch);
  ADD ("/store/settle-all-or-nothing", test_settle_all_or_nothing);
  ADD ("/store/settle-supersedes-errors", test_settle_supersedes_errors);

#undef ADD

  return g_test_run ();
}
