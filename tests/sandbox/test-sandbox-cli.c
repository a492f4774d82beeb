/* test-sandbox-cli.c — the standalone campaign-connector-sandbox as a
 * process: it prints one URL line per service, serves tokens on both, stops
 * with exit status 0 on SIGTERM, and refuses a bad flag with one line and
 * exit status 2.
 */
#include <signal.h>
#include <string.h>

#include <gio/gio.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "cc-sandbox.h"

#define DEADLINE_S 30

static char *
sandbox_path (void)
{
  const char *build = g_getenv ("CC_BUILD_DIR");

  g_assert_nonnull (build);
  return g_build_filename (build, "src", "sandbox", "campaign-connector-sandbox", NULL);
}

typedef struct
{
  char     *line;
  gboolean  done;
  GError   *error;
} LineRead;

static void
line_read (GObject      *source,
           GAsyncResult *result,
           gpointer      data)
{
  LineRead *read = data;

  read->line = g_data_input_stream_read_line_finish_utf8 (G_DATA_INPUT_STREAM (source), result, NULL,
                                                          &read->error);
  read->done = TRUE;
}

static gboolean
deadline_passed (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

/* Reads one line, waiting on the main context with a generous deadline. */
static char *
read_line (GDataInputStream *in)
{
  LineRead read = { NULL, FALSE, NULL };
  gboolean late = FALSE;
  guint timer = g_timeout_add_seconds (DEADLINE_S, deadline_passed, &late);

  g_data_input_stream_read_line_async (in, G_PRIORITY_DEFAULT, NULL, line_read, &read);
  while (!read.done && !late)
    g_main_context_iteration (NULL, TRUE);
  g_assert_false (late);
  g_source_remove (timer);
  g_assert_no_error (read.error);
  return read.line;
}

static void
process_exited (GObject      *source,
                GAsyncResult *result,
                gpointer      data)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (g_subprocess_wait_finish (G_SUBPROCESS (source), result, &error));
  *(gboolean *) data = TRUE;
}

static void
wait_exit (GSubprocess *process)
{
  gboolean late = FALSE;
  gboolean done = FALSE;
  guint timer = g_timeout_add_seconds (DEADLINE_S, deadline_passed, &late);

  g_subprocess_wait_async (process, NULL, process_exited, &done);
  while (!done && !late)
    g_main_context_iteration (NULL, TRUE);
  g_assert_false (late);
  g_source_remove (timer);
}

static char *
url_of (const char *line,
        const char *service)
{
  g_autofree char *pattern = g_strdup_printf ("^%s http://127\\.0\\.0\\.1:[1-9][0-9]*$", service);

  g_assert_nonnull (line);
  if (!g_regex_match_simple (pattern, line, 0, 0))
    g_error ("unexpected line \"%s\"", line);
  return g_strdup (line + strlen (service) + 1);
}

static JsonObject *
post_form (SoupSession *session,
           const char  *url,
           const char  *form)
{
  g_autoptr(SoupMessage) msg = soup_message_new ("POST", url);
  g_autoptr(GBytes) payload = g_bytes_new (form, strlen (form));
  g_autoptr(GBytes) body = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  soup_message_set_request_body_from_bytes (msg, "application/x-www-form-urlencoded", payload);
  body = soup_session_send_and_read (session, msg, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (soup_message_get_status (msg), ==, 200);
  g_assert_true (json_parser_load_from_data (parser, g_bytes_get_data (body, NULL), g_bytes_get_size (body), &error));
  return json_object_ref (json_node_get_object (json_parser_get_root (parser)));
}

static void
test_serve_and_stop (void)
{
  g_autofree char *path = sandbox_path ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GDataInputStream) out = NULL;
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autofree char *line1 = NULL;
  g_autofree char *line2 = NULL;
  g_autofree char *dataverse = NULL;
  g_autofree char *campaign = NULL;
  g_autofree char *dv_token_url = NULL;
  g_autofree char *ims_url = NULL;
  g_autofree char *dv_form = NULL;
  g_autofree char *scope = NULL;
  g_autoptr(JsonObject) dv_token = NULL;
  g_autoptr(JsonObject) ims_token = NULL;

  process = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error, path,
                              "--dataverse-port", "0", "--campaign-port", "0", "--contacts", "10", NULL);
  g_assert_no_error (error);
  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (process));
  line1 = read_line (out);
  line2 = read_line (out);
  dataverse = url_of (line1, "dataverse");
  campaign = url_of (line2, "campaign");
  g_assert_cmpstr (dataverse, !=, campaign);

  dv_token_url = g_strdup_printf ("%s/%s/oauth2/v2.0/token", dataverse, CC_SANDBOX_TENANT);
  scope = g_strconcat (dataverse, "/.default", NULL);
  dv_form = soup_form_encode ("grant_type", "client_credentials", "client_id", CC_SANDBOX_CLIENT_ID,
                              "client_secret", CC_SANDBOX_SECRET, "scope", scope, NULL);
  dv_token = post_form (session, dv_token_url, dv_form);
  g_assert_cmpstr (json_object_get_string_member (dv_token, "token_type"), ==, "Bearer");
  g_assert_true (json_object_has_member (dv_token, "access_token"));

  ims_url = g_strconcat (campaign, "/ims/token/v3", NULL);
  ims_token = post_form (session, ims_url, "grant_type=client_credentials&client_id=" CC_SANDBOX_API_KEY
                         "&client_secret=" CC_SANDBOX_SECRET "&scope=openid,AdobeID,read_organizations");
  g_assert_true (json_object_has_member (ims_token, "access_token"));

  g_subprocess_send_signal (process, SIGTERM);
  wait_exit (process);
  g_assert_true (g_subprocess_get_if_exited (process));
  g_assert_cmpint (g_subprocess_get_exit_status (process), ==, 0);
}

static void
test_bad_flag (void)
{
  g_autofree char *path = sandbox_path ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_auto(GStrv) lines = NULL;

  process = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE, &error,
                              path, "--dataverse-port", "0", "--no-such-flag", NULL);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_communicate_utf8 (process, NULL, NULL, &out, &err, &error));
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (process));
  g_assert_cmpint (g_subprocess_get_exit_status (process), ==, 2);
  g_assert_cmpstr (out, ==, "");
  lines = g_strsplit (err, "\n", -1);
  /* One line, then the final newline. */
  g_assert_cmpuint (g_strv_length (lines), ==, 2);
  g_assert_cmpstr (lines[1], ==, "");
  g_assert_nonnull (strstr (lines[0], "--no-such-flag"));

  g_clear_object (&process);
  g_clear_pointer (&err, g_free);
  g_clear_pointer (&out, g_free);
  process = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE, &error,
                              path, "--error-rate", "1.5", NULL);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_communicate_utf8 (process, NULL, NULL, &out, &err, &error));
  g_assert_cmpint (g_subprocess_get_exit_status (process), ==, 2);
  g_strfreev (lines);
  lines = g_strsplit (err, "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, 2);
  g_assert_nonnull (strstr (lines[0], "--error-rate"));

  g_clear_object (&process);
  g_clear_pointer (&err, g_free);
  g_clear_pointer (&out, g_free);
  process = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE, &error,
                              path, "--without", "custom-filters", "--without", "tables", NULL);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_communicate_utf8 (process, NULL, NULL, &out, &err, &error));
  g_assert_cmpint (g_subprocess_get_exit_status (process), ==, 2);
  g_strfreev (lines);
  lines = g_strsplit (err, "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, 2);
  g_assert_nonnull (strstr (lines[0], "Unknown setup item 'tables'"));
}

static void
test_help (void)
{
  g_autofree char *path = sandbox_path ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autofree char *out = NULL;
  const char *flags[] = { "--dataverse-port", "--campaign-port", "--contacts", "--memberships", "--events",
                          "--seed", "--token-lifetime", "--max-requests", "--window", "--max-concurrent",
                          "--max-execution-ms", "--change-retention-days",
                          "--error-rate", "--throttle-rate", "--drop-rate", "--malformed-rate", "--latency-ms",
                          "--without" };

  process = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error, path, "--help", NULL);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_communicate_utf8 (process, NULL, NULL, &out, NULL, &error));
  g_assert_cmpint (g_subprocess_get_exit_status (process), ==, 0);
  for (guint i = 0; i < G_N_ELEMENTS (flags); i++)
    g_assert_nonnull (strstr (out, flags[i]));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/sandbox/cli/serve-and-stop", test_serve_and_stop);
  g_test_add_func ("/sandbox/cli/bad-flag", test_bad_flag);
  g_test_add_func ("/sandbox/cli/help", test_help);

  return g_test_run ();
}
