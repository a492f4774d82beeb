/* store-fixture.h — a fresh state database per test (a real SQLite file
 * in a temporary folder), and the checks and short-cuts the store tests
 * share. Checks read the file with SQLite directly, so that a backlog kept
 * wrongly by the store cannot agree with itself and pass.
 */
#pragma once

#include "cc-store.h"

#define WORKFLOW "ingress"

typedef struct
{
  char    *dir;
  char    *path;
  CcStore *store;
} Fixture;

void         store_remove_tree       (const char    *path);
char        *store_make_temp_dir     (void);
/* Opens a store at a path whose folder does not exist yet. */
void         store_fixture_setup     (Fixture       *fixture,
                                      gconstpointer  user_data);
void         store_fixture_teardown  (Fixture       *fixture,
                                      gconstpointer  user_data);
/* Runs one integer query on the file through a connection of its own. */
gint64       store_query_int         (const char    *path,
                                      const char    *sql);
/* The backlog the store reports, checked against the rows in the file. */
guint64      store_backlog           (CcStore       *store,
                                      const char    *workflow);
/* @n upserts of @mapping with keys key-<first>… and payloads {"n":…}. */
GPtrArray   *store_make_items        (const char    *mapping,
                                      guint          first,
                                      guint          n,
                                      guint          flags);
void         store_enqueue_one       (CcStore       *store,
                                      const char    *key,
                                      const char    *payload,
                                      guint          flags,
                                      gint64        *id);
GPtrArray   *store_lease             (CcStore       *store,
                                      guint          max);
CcQueueItem *store_item_at           (GPtrArray     *items,
                                      guint          i);
/* Settle one kind of outcome, as a writer does (cc_store_settle()). */
gboolean     store_ack               (CcStore       *store,
                                      const gint64  *ids,
                                      guint          n_ids,
                                      GError       **error);
gboolean     store_release           (CcStore       *store,
                                      const gint64  *ids,
                                      guint          n_ids,
                                      GError       **error);
gboolean     store_fail              (CcStore       *store,
                                      gint64         id,
                                      guint          http_status,
                                      const char    *reason,
                                      GError       **error);
void         store_ack_all           (CcStore       *store,
                                      GPtrArray     *items);
