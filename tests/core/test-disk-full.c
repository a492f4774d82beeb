/* test-disk-full.c — the state database stops growing in the middle of a
 * first load, as on a full disk: the workflow fails and its history says
 * so, Written is what was acknowledged (never more than what reached
 * Campaign, and behind it by at most the leases in flight), and once
 * there is room again a new start writes every record, exactly once.
 *
 * The disk is "full" through RLIMIT_FSIZE: no file of this process may
 * grow past a size any more (with SIGXFSZ ignored, a write past it fails
 * as one on a full disk does). The engine and its database are real,
 * Campaign is the in-process sandbox, which keeps its data in memory.
 */
#include <signal.h>
#include <string.h>
#include <sys/resource.h>

#include "cc-test-admin.h"
#include "cc-test-util.h"
#include "engine-test.h"

#define DEADLINE 120
#define CONTACTS 3000
#define CONCURRENCY 2
/* What ingress leases at once (CC_WRITE_PUMP_LEASE). */
#define LEASE 64

#define INGRESS_CONFIG \
  "{ \"poll-interval\": 1, \"write-concurrency\": 2, \"mappings\": [ {" \
  "  \"source\": \"contact\", \"target\": \"profileAndServicesExt/profile\"," \
  "  \"target-key\": \"externalId\", \"key-filter\": \"byExternalId\"," \
  "  \"fields\": [ {\"source\": \"lastname\", \"target\": \"lastName\"} ] } ] }"

static gboolean
has_written_some (gpointer user_data)
{
  return cc_workflow_get_written (user_data) >= 200;
}

static gboolean
has_failed (gpointer user_data)
{
  return cc_workflow_get_status (user_data) == CC_WORKFLOW_FAILED;
}

/* No file of this process grows past @bytes (RLIM_INFINITY: as before). */
static void
limit_file_size (rlim_t bytes)
{
  struct rlimit limit;

  g_assert_cmpint (getrlimit (RLIMIT_FSIZE, &limit), ==, 0);
  limit.rlim_cur = bytes == RLIM_INFINITY ? limit.rlim_max : bytes;
  g_assert_cmpint (setrlimit (RLIMIT_FSIZE, &limit), ==, 0);
}

static const CcHistoryEntry *
find_history (GPtrArray  *history,
              const char *kind)
{
  for (guint i = 0; i < history->len; i++)
    {
      const CcHistoryEntry *entry = g_ptr_array_index (history, i);

      if (g_str_equal (entry->kind, kind))
        return entry;
    }
  return NULL;
}

static void
test_disk_full (EngineFixture *fixture,
                gconstpointer  data)
{
  CcWorkflow *ingress = cc_engine_find_workflow (fixture->engine, "ingress");
  g_autoptr(GPtrArray) history = NULL;
  g_autoptr(GError) error = NULL;
  const CcHistoryEntry *fail;
  gint64 in_campaign;
  guint64 written;

  engine_fixture_configure (fixture, "ingress", INGRESS_CONFIG);
  engine_fixture_start (ingress, DEADLINE);
  g_assert_true (cc_test_wait_until (has_written_some, ingress, DEADLINE));

  /* The disk is full: nothing grows any more. */
  limit_file_size (16 * 1024);
  g_assert_true (cc_test_wait_until (has_failed, ingress, DEADLINE));
  g_test_message ("failed: %s", cc_workflow_get_last_error (ingress));
  g_assert_cmpstr (cc_workflow_get_last_error (ingress), !=, "");

  /* The failure is in the history, although the database cannot take it
   * yet. */
  history = cc_workflow_list_history (ingress, 10, &error);
  g_assert_no_error (error);
  fail = find_history (history, "fail");
  g_assert_nonnull (fail);
  g_assert_cmpstr (fail->message, ==, cc_workflow_get_last_error (ingress));

  /* Written is what was acknowledged: never more than reached Campaign,
   * and behind it by at most the leases the write pump had open: one
   * per write in flight, and one it had not finished starting (its one
   * thread: write-concurrency is under 128). */
  written = cc_workflow_get_written (ingress);
  in_campaign = cc_test_admin_count (fixture->acs, "/_sandbox/profiles", NULL);
  g_test_message ("written %" G_GUINT64_FORMAT ", in Campaign %" G_GINT64_FORMAT,
                  written, in_campaign);
  g_assert_cmpint ((gint64) written, <=, in_campaign);
  g_assert_cmpint (in_campaign - (gint64) written, <=, (CONCURRENCY + 1) * LEASE);

  /* Room again: the failure is saved where it belongs, and a new start
   * writes what was left, every record once. */
  limit_file_size (RLIM_INFINITY);
  g_clear_pointer (&history, g_ptr_array_unref);
  engine_fixture_start (ingress, DEADLINE);
  engine_fixture_wait_synced (fixture, ingress, fixture->acs, "/_sandbox/profiles", CONTACTS,
                              DEADLINE);
  g_assert_cmpuint (cc_workflow_get_written (ingress), ==, CONTACTS);
  history = cc_workflow_list_history (ingress, 10, &error);
  g_assert_no_error (error);
  fail = find_history (history, "fail");
  g_assert_nonnull (fail);
  g_assert_cmpint (fail->id, >, 0);
  engine_fixture_stop (ingress);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  /* A write past the limit fails, as on a full disk, instead of killing
   * the process. */
  signal (SIGXFSZ, SIG_IGN);

  ENGINE_TEST_ADD ("/disk-full/first-load", CONTACTS, test_disk_full);

  return g_test_run ();
}
