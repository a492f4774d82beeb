/* test-error-log.c — a workflow's error log as an admin works through it:
 * records that Campaign refuses for two reasons land there and are
 * counted as the workflow runs, grouped by reason, searched, retried a
 * reason at a time and exported as CSV; and the CSV itself, whatever
 * the text holds. */
#include "config.h"

#include <string.h>

#include "cc-error-csv.h"
#include "cc-test-admin.h"
#include "cc-test-util.h"
#include "engine-test.h"

#define DEADLINE 60
#define NOT_AN_ADDRESS "not an address"
#define NOBODY "nobody"

/* ---- CSV ----------------------------------------------------------- */

static void
test_csv (void)
{
  CcErrorEntry entry = {
    .id = 42,
    .mapping = "contact",
    .key = "=HYPERLINK(\"http://example.com\")",
    .op = CC_QUEUE_OP_DELETE,
    .payload = "{\"name\": \"Müller, Anna\",\n \"note\": \"say \\\"hi\\\"\"}",
    .http_status = 0,
    .reason = "-1 is not a number",
    .failed_at = G_GINT64_CONSTANT (1796127300) * G_USEC_PER_SEC,
  };
  g_autoptr(GString) csv = g_string_new (NULL);

  cc_error_csv_append_header (csv);
  g_assert_cmpstr (csv->str, ==,
                   "id,failed_at,mapping,record,operation,http_status,reason,payload\r\n");
  g_string_truncate (csv, 0);

  /* A formula is no formula; a comma, a quote or a line break is quoted;
   * no status is an empty field; the time is UTC. */
  cc_error_csv_append_entry (csv, &entry);
  g_assert_cmpstr (csv->str, ==,
                   "42,2026-12-01T12:15:00Z,contact,"
                   "\"'=HYPERLINK(\"\"http://example.com\"\")\",delete,,"
                   "\"'-1 is not a number\","
                   "\"{\"\"name\"\": \"\"Müller, Anna\"\",\n \"\"note\"\": \"\"say \\\"\"hi\\\"\"\"\"}\"\r\n");
  g_string_truncate (csv, 0);

  /* Plain text stays as it is. */
  entry.key = "0b3c";
  entry.reason = "Refused";
  entry.payload = "{}";
  entry.http_status = 400;
  entry.op = CC_QUEUE_OP_UPSERT;
  cc_error_csv_append_entry (csv, &entry);
  g_assert_cmpstr (csv->str, ==, "42,2026-12-01T12:15:00Z,contact,0b3c,upsert,400,Refused,{}\r\n");
}

/* ---- the log of a workflow that runs ------------------------------- */

static gboolean
five_in_log (gpointer workflow)
{
  return cc_workflow_get_error_count (workflow) == 5 && cc_workflow_get_backlog (workflow) == 0;
}

static char *
reason_of (const char *email)
{
  return g_strdup_printf ("The value '%s' of the 'email' property is not valid: "
                          "it is not a valid email address", email);
}

typedef struct
{
  gboolean  done;
  gint64    n;
  GError   *error;
} ExportWait;

static void
on_exported (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  ExportWait *wait = user_data;

  wait->n = cc_workflow_export_errors_finish (CC_WORKFLOW (source), result, &wait->error);
  wait->done = TRUE;
}

static gboolean
export_done (gpointer user_data)
{
  return ((ExportWait *) user_data)->done;
}

/* Exports what @filter matches; returns the CSV's lines. */
static GStrv
export (CcWorkflow          *workflow,
        const CcErrorFilter *filter,
        gint64              *n)
{
  g_autoptr(GOutputStream) stream = g_memory_output_stream_new_resizable ();
  ExportWait wait = { FALSE, 0, NULL };
  g_autofree char *text = NULL;

  cc_workflow_export_errors_async (workflow, filter, stream, NULL, on_exported, &wait);
  g_assert_true (cc_test_wait_until (export_done, &wait, DEADLINE));
  g_assert_no_error (wait.error);
  g_assert_true (g_output_stream_is_closed (stream));
  *n = wait.n;
  text = g_strndup (g_memory_output_stream_get_data (G_MEMORY_OUTPUT_STREAM (stream)),
                    g_memory_output_stream_get_data_size (G_MEMORY_OUTPUT_STREAM (stream)));
  g_assert_true (g_str_has_suffix (text, "\r\n"));
  text[strlen (text) - 2] = '\0';
  return g_strsplit (text, "\r\n", -1);
}

static void
test_refused_records (EngineFixture *fixture,
                      gconstpointer  data)
{
  CcWorkflow *ingress = cc_engine_find_workflow (fixture->engine, "ingress");
  g_autofree char *not_an_address = reason_of (NOT_AN_ADDRESS);
  g_autofree char *nobody = reason_of (NOBODY);
  CcErrorFilter by_nobody = { 0, nobody, NULL, NULL };
  CcErrorFilter search = { 0, NULL, NULL, "NOBODY" };
  g_autoptr(GPtrArray) groups = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) lines = NULL;
  CcErrorGroup *group;
  guint64 backlog;
  gint64 n = 0;

  cc_test_admin_set_emails (fixture->dv, 0, 3, NOT_AN_ADDRESS);
  cc_test_admin_set_emails (fixture->dv, 10, 2, NOBODY);
  g_assert_cmpuint (cc_workflow_get_error_count (ingress), ==, 0);

  /* Counted while it runs. */
  engine_fixture_start (ingress, DEADLINE);
  g_assert_true (cc_test_wait_until (five_in_log, ingress, DEADLINE));
  g_assert_cmpuint (cc_workflow_get_failed (ingress), ==, 5);
  engine_fixture_stop (ingress);
  g_assert_cmpuint (cc_workflow_get_error_count (ingress), ==, 5);

  /* One group per reason, the largest first. */
  groups = cc_workflow_list_error_groups (ingress, NULL, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (groups->len, ==, 2);
  group = g_ptr_array_index (groups, 0);
  g_assert_cmpstr (group->reason, ==, not_an_address);
  g_assert_cmpuint (group->count, ==, 3);
  group = g_ptr_array_index (groups, 1);
  g_assert_cmpstr (group->reason, ==, nobody);
  g_assert_cmpuint (group->count, ==, 2);
  g_assert_cmpuint (cc_workflow_count_errors (ingress, &search, &error), ==, 2);

  /* Exported: every entry, or those of one reason. */
  lines = export (ingress, NULL, &n);
  g_assert_cmpint (n, ==, 5);
  g_assert_cmpuint (g_strv_length (lines), ==, 6);
  g_assert_true (g_str_has_prefix (lines[0], "id,failed_at,mapping,record"));
  g_clear_pointer (&lines, g_strfreev);
  lines = export (ingress, &by_nobody, &n);
  g_assert_cmpint (n, ==, 2);
  g_assert_cmpuint (g_strv_length (lines), ==, 3);
  g_assert_nonnull (strstr (lines[1], ",upsert,400,"));
  g_assert_nonnull (strstr (lines[1], "'nobody'"));

  /* One reason retried: its records wait in the queue again, the other
   * reason's stay in the log. */
  backlog = cc_workflow_get_backlog (ingress);
  g_assert_cmpint (cc_workflow_retry_errors_matching (ingress, &by_nobody, &error), ==, 2);
  g_assert_no_error (error);
  g_assert_cmpuint (cc_workflow_get_error_count (ingress), ==, 3);
  g_assert_cmpuint (cc_workflow_get_backlog (ingress), ==, backlog + 2);
  g_assert_cmpuint (cc_workflow_count_errors (ingress, &by_nobody, &error), ==, 0);
}

static void
test_export_fails (EngineFixture *fixture,
                   gconstpointer  data)
{
  CcWorkflow *egress = cc_engine_find_workflow (fixture->engine, "egress");
  g_autoptr(GOutputStream) stream = g_memory_output_stream_new_resizable ();
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  ExportWait wait = { FALSE, 0, NULL };

  /* A cancelled export says so, and the stream is closed all the same. */
  g_cancellable_cancel (cancellable);
  cc_workflow_export_errors_async (egress, NULL, stream, cancellable, on_exported, &wait);
  g_assert_true (cc_test_wait_until (export_done, &wait, DEADLINE));
  g_assert_error (wait.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpint (wait.n, ==, -1);
  g_clear_error (&wait.error);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/error-log/csv", test_csv);
  ENGINE_TEST_ADD ("/error-log/refused-records", 20, test_refused_records);
  ENGINE_TEST_ADD ("/error-log/export-fails", 0, test_export_fails);
  return g_test_run ();
}
