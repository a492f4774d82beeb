/* bench-store.c — throughput of the state database's queue.
 *
 * Usage: bench-store [RECORDS] [PAGE] [BATCH]
 *
 * Queues RECORDS records (default 200000) in pages of PAGE (default 1000)
 * with a cursor per page, as the reader does; times the backlog count at
 * that size; then leases and acks everything in batches of BATCH (default
 * 100), as a writer does. One line of results per phase on stdout. The
 * database lives in a temporary folder that is removed at the end.
 */
#include <glib/gstdio.h>
#include <stdio.h>

#include "cc-store.h"

static double
seconds_since (gint64 start)
{
  return (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC;
}

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      g_unlink (child);
    }
  g_rmdir (path);
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CcStore) store = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;
  guint records = argc > 1 ? (guint) g_ascii_strtoull (argv[1], NULL, 10) : 200000;
  guint page = argc > 2 ? (guint) g_ascii_strtoull (argv[2], NULL, 10) : 1000;
  guint batch = argc > 3 ? (guint) g_ascii_strtoull (argv[3], NULL, 10) : 100;
  guint64 n = 0, done = 0;
  gint64 start;
  double t;

  if (records == 0 || page == 0 || batch == 0)
    {
      fprintf (stderr, "Usage: %s [RECORDS] [PAGE] [BATCH]\n", argv[0]);
      return 2;
    }

  dir = g_dir_make_tmp ("cc-bench-store-XXXXXX", &error);
  if (dir == NULL)
    goto fail;
  path = g_build_filename (dir, "engine.db", NULL);
  store = cc_store_open (path, &error);
  if (store == NULL)
    goto fail;

  start = g_get_monotonic_time ();
  for (guint first = 0; first < records; first += page)
    {
      g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func ((GDestroyNotify) cc_queue_item_free);
      g_autofree char *cursor = g_strdup_printf ("%u", first);

      for (guint i = first; i < first + page && i < records; i++)
        {
          g_autofree char *key = g_strdup_printf ("%08x-0000-0000-0000-%012u", i, i);
          g_autofree char *payload =
            g_strdup_printf ("{\"externalId\":\"%s\",\"firstName\":\"Ann\",\"lastName\":\"Smith\","
                             "\"email\":\"ann.smith%u@example.com\",\"phone\":\"+1 555 0100\"}",
                             key, i);

          g_ptr_array_add (items, cc_queue_item_new ("contact→profile", key,
                                                     CC_QUEUE_OP_UPSERT, payload, 0));
        }
      if (!cc_store_enqueue (store, "ingress", items, "delta", cursor, &error))
        goto fail;
    }
  t = seconds_since (start);
  printf ("enqueue: %u records in pages of %u: %.2f s, %.0f records/s\n",
          records, page, t, records / t);

  start = g_get_monotonic_time ();
  for (guint i = 0; i < 100; i++)
    n = cc_store_count_backlog (store, "ingress", &error);
  printf ("count_backlog at %" G_GUINT64_FORMAT ": %.3f ms per call\n",
          n, seconds_since (start) * 1000 / 100);

  start = g_get_monotonic_time ();
  for (;;)
    {
      g_autoptr(GPtrArray) items = cc_store_lease (store, "ingress", batch, &error);
      g_autoptr(CcStoreBatch) outcomes = cc_store_batch_new ("ingress");

      if (items == NULL)
        goto fail;
      if (items->len == 0)
        break;
      for (guint i = 0; i < items->len; i++)
        cc_store_batch_done (outcomes, ((CcQueueItem *) items->pdata[i])->id);
      if (!cc_store_settle (store, outcomes, &error))
        goto fail;
      done += items->len;
    }
  t = seconds_since (start);
  printf ("lease+settle: %" G_GUINT64_FORMAT " records in batches of %u: %.2f s, %.0f records/s\n",
          done, batch, t, done / t);
  printf ("backlog at the end: %" G_GUINT64_FORMAT "\n",
          cc_store_count_backlog (store, "ingress", NULL));

  g_clear_object (&store);
  remove_tree (dir);
  return 0;

fail:
  fprintf (stderr, "%s\n", error ? error->message : "failed");
  g_clear_object (&store);
  if (dir != NULL)
    remove_tree (dir);
  return 1;
}
