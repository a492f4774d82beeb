/* test-store-errors.c — the error log as an admin reads thousands of it,
 * on a real SQLite file: counted, listed and retried by reason, by record
 * id or by what a search finds, and grouped by reason with counts.
 */
#include "store-fixture.h"

/* Leases @n items of mapping @mapping and fails each with a reason from
 * @reasons (in turn), HTTP 400. */
static void
fail_items (CcStore            *store,
            const char         *mapping,
            guint               first,
            guint               n,
            const char * const *reasons)
{
  g_autoptr(GPtrArray) items = store_make_items (mapping, first, n, 0);
  g_autoptr(GPtrArray) batch = NULL;
  g_autoptr(GError) error = NULL;
  guint n_reasons = g_strv_length ((char **) reasons);

  g_assert_true (cc_store_enqueue (store, WORKFLOW, items, NULL, NULL, &error));
  g_assert_no_error (error);
  batch = store_lease (store, n);
  g_assert_cmpuint (batch->len, ==, n);
  for (guint i = 0; i < n; i++)
    {
      g_assert_true (store_fail (store, store_item_at (batch, i)->id, 400, reasons[i % n_reasons],
                                 &error));
      g_assert_no_error (error);
    }
}

static const char * const reasons[] = {
  "email: not a valid address",
  "email: not a valid address",
  "The contact does not exist in Dynamics 365",
  NULL,
};

static void
test_filter (Fixture       *fixture,
             gconstpointer  user_data)
{
  CcErrorFilter by_reason = { 0, "email: not a valid address", NULL, NULL };
  CcErrorFilter by_key = { 0, NULL, "key-00004", NULL };
  CcErrorFilter by_search = { 0, NULL, NULL, "CONTACT DOES" };
  CcErrorFilter by_mapping = { 0, NULL, NULL, "accou" };
  CcErrorFilter nothing = { 0, NULL, NULL, "no such words" };
  g_autoptr(GPtrArray) list = NULL;
  g_autoptr(GError) error = NULL;

  fail_items (fixture->store, "contact", 0, 9, reasons);
  fail_items (fixture->store, "account", 100, 3, reasons);

  g_assert_cmpuint (cc_store_count_errors_matching (fixture->store, WORKFLOW, NULL, &error), ==, 12);
  g_assert_cmpuint (cc_store_count_errors_matching (fixture->store, WORKFLOW, &by_reason, &error), ==, 8);
  g_assert_cmpuint (cc_store_count_errors_matching (fixture->store, WORKFLOW, &by_key, &error), ==, 1);
  /* The search ignores case and looks into reasons, ids and mappings. */
  g_assert_cmpuint (cc_store_count_errors_matching (fixture->store, WORKFLOW, &by_search, &error), ==, 4);
  g_assert_cmpuint (cc_store_count_errors_matching (fixture->store, WORKFLOW, &by_mapping, &error), ==, 3);
  g_assert_cmpuint (cc_store_count_errors_matching (fixture->store, WORKFLOW, &nothing, &error), ==, 0);
  g_assert_cmpuint (cc_store_count_errors_matching (fixture->store, "egress", NULL, &error), ==, 0);
  g_assert_no_error (error);

  /* Listed newest first, in pages, only what matches. */
  list = cc_store_list_errors_matching (fixture->store, WORKFLOW, &by_reason, 2, 3, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, 3);
  for (guint i = 0; i < list->len; i++)
    {
      CcErrorEntry *entry = g_ptr_array_index (list, i);

      g_assert_cmpstr (entry->reason, ==, "email: not a valid address");
      if (i > 0)
        g_assert_cmpint (entry->id, <, ((CcErrorEntry *) g_ptr_array_index (list, i - 1))->id);
    }
  g_clear_pointer (&list, g_ptr_array_unref);
  list = cc_store_list_errors_matching (fixture->store, WORKFLOW, &by_key, 0, 0, &error);
  g_assert_cmpuint (list->len, ==, 1);
  g_assert_cmpstr (((CcErrorEntry *) g_ptr_array_index (list, 0))->key, ==, "key-00004");
}

static void
test_groups (Fixture       *fixture,
             gconstpointer  user_data)
{
  CcErrorFilter contacts = { 0, NULL, NULL, "contact" };
  g_autoptr(GPtrArray) groups = NULL;
  g_autoptr(GError) error = NULL;
  CcErrorGroup *group;

  fail_items (fixture->store, "contact", 0, 9, reasons);
  fail_items (fixture->store, "account", 100, 3, reasons);

  groups = cc_store_list_error_groups (fixture->store, WORKFLOW, NULL, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (groups->len, ==, 2);
  /* The largest first, with its count and latest failure. */
  group = g_ptr_array_index (groups, 0);
  g_assert_cmpstr (group->reason, ==, "email: not a valid address");
  g_assert_cmpuint (group->count, ==, 8);
  g_assert_cmpint (group->last_failed_at, >, 0);
  group = g_ptr_array_index (groups, 1);
  g_assert_cmpstr (group->reason, ==, "The contact does not exist in Dynamics 365");
  g_assert_cmpuint (group->count, ==, 4);

  /* Grouped within a search: the contacts only. */
  g_clear_pointer (&groups, g_ptr_array_unref);
  groups = cc_store_list_error_groups (fixture->store, WORKFLOW, &contacts, 1, &error);
  g_assert_cmpuint (groups->len, ==, 1);
  group = g_ptr_array_index (groups, 0);
  g_assert_cmpuint (group->count, ==, 6);
}

/* Retrying one reason moves exactly its entries back to the queue. */
static void
test_retry_reason (Fixture       *fixture,
                   gconstpointer  user_data)
{
  CcErrorFilter missing = { 0, "The contact does not exist in Dynamics 365", NULL, NULL };
  g_autoptr(GError) error = NULL;
  guint64 backlog;

  fail_items (fixture->store, "contact", 0, 9, reasons);
  backlog = store_backlog (fixture->store, WORKFLOW);

  g_assert_cmpint (cc_store_retry_errors_matching (fixture->store, WORKFLOW, &missing, &error), ==, 3);
  g_assert_no_error (error);
  g_assert_cmpuint (cc_store_count_errors_matching (fixture->store, WORKFLOW, &missing, &error), ==, 0);
  g_assert_cmpuint (cc_store_count_errors (fixture->store, WORKFLOW, &error), ==, 6);
  g_assert_cmpuint (store_backlog (fixture->store, WORKFLOW), ==, backlog + 3);
  /* Nothing left of it: nothing more to retry. */
  g_assert_cmpint (cc_store_retry_errors_matching (fixture->store, WORKFLOW, &missing, &error), ==, 0);
}

typedef struct
{
  GPtrArray *keys;
  guint      stop_after;   /* 0: never */
} Walk;

static gboolean
walk_entry (const CcErrorEntry  *entry,
            gpointer             user_data,
            GError             **error)
{
  Walk *walk = user_data;

  g_ptr_array_add (walk->keys, g_strdup (entry->key));
  if (walk->stop_after > 0 && walk->keys->len == walk->stop_after)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NO_SPACE, "the disk is full");
      return FALSE;
    }
  return TRUE;
}

/* Every entry a filter matches, one at a time and newest first, as an
 * export reads them; the walker may stop it. */
static void
test_foreach (Fixture       *fixture,
              gconstpointer  user_data)
{
  CcErrorFilter by_reason = { 0, "email: not a valid address", NULL, NULL };
  g_autoptr(GPtrArray) keys = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) listed = NULL;
  g_autoptr(GError) error = NULL;
  Walk walk = { keys, 0 };

  fail_items (fixture->store, "contact", 0, 9, reasons);
  g_assert_true (cc_store_foreach_error (fixture->store, WORKFLOW, &by_reason, walk_entry, &walk,
                                         &error));
  g_assert_no_error (error);
  listed = cc_store_list_errors_matching (fixture->store, WORKFLOW, &by_reason, 0, 0, &error);
  g_assert_cmpuint (keys->len, ==, 6);
  for (guint i = 0; i < keys->len; i++)
    g_assert_cmpstr (g_ptr_array_index (keys, i), ==,
                     ((CcErrorEntry *) g_ptr_array_index (listed, i))->key);

  g_ptr_array_set_size (keys, 0);
  walk.stop_after = 2;
  g_assert_false (cc_store_foreach_error (fixture->store, WORKFLOW, NULL, walk_entry, &walk,
                                          &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NO_SPACE);
  g_assert_cmpuint (keys->len, ==, 2);
  g_clear_error (&error);
  /* The statement was let go: the store reads on. */
  g_assert_cmpuint (cc_store_count_errors (fixture->store, WORKFLOW, &error), ==, 9);
  g_assert_no_error (error);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(name, func) \
  g_test_add (name, Fixture, NULL, store_fixture_setup, func, store_fixture_teardown)

  ADD ("/store/errors/filter", test_filter);
  ADD ("/store/errors/groups", test_groups);
  ADD ("/store/errors/retry-reason", test_retry_reason);
  ADD ("/store/errors/foreach", test_foreach);

#undef ADD

  return g_test_run ();
}
