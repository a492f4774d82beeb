/* test-attach.c — one engine per session: a later `campaign-connector`
 * opens its window on the headless one, and a headless engine without a
 * display runs all the same. */
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "cc-test-engine.h"
#include "cc-test-util.h"

static guint
window_count (CcTestEngine *engine)
{
  g_autoptr(GVariant) value = cc_test_get_property (engine->bus, CC_TEST_PATH, CC_TEST_MANAGER,
                                                    "WindowCount");

  return g_variant_get_uint32 (value);
}

static gboolean
has_window (gpointer user_data)
{
  return window_count (user_data) == 1;
}

/* Runs `campaign-connector @arg` in @engine's folders. */
static int
run_app (CcTestEngine  *engine,
         const char    *arg,
         gboolean       display,
         char         **err)
{
  g_autofree char *program = cc_test_build_path ("src/ui/campaign-connector");
  const char *argv[] = { program, arg, NULL };
  g_auto(GStrv) envp = cc_test_engine_environ (engine, display);

  return cc_test_run (argv, envp, NULL, NULL, err);
}

static void
test_gui_attaches (void)
{
  static const char * const args[] = { "--headless", "--sandbox", NULL };
  g_autoptr(CcTestEngine) engine = cc_test_engine_start (args, TRUE);
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) started = NULL;
  g_autofree char *err = NULL;
  gint64 before;

  g_assert_cmpuint (window_count (engine), ==, 0);

  /* The second process hands over and ends at once; the window opens in
   * the first. */
  before = g_get_monotonic_time ();
  g_assert_cmpint (run_app (engine, NULL, TRUE, NULL), ==, 0);
  g_assert_cmpint (g_get_monotonic_time () - before, <, 30 * G_USEC_PER_SEC);
  g_assert_true (cc_test_wait_until (has_window, engine, 30));
  g_assert_false (engine->exited);

  /* Same engine: what one view starts, the other sees. */
  started = cc_test_call (engine->bus, CC_TEST_PATH "/workflows/ingress", CC_TEST_WORKFLOW,
                          "Start", NULL, &error);
  g_assert_no_error (error);

  /* A second headless engine is refused. */
  g_assert_cmpint (run_app (engine, "--headless", TRUE, &err), ==, 1);
  g_assert_nonnull (strstr (err, "already running"));

  /* Quit ends it, window and all, once the workflow has stopped. */
  cc_test_engine_quit (engine);
}

static void
test_no_display (void)
{
  static const char * const args[] = { "--headless", "--sandbox", NULL };
  g_autoptr(CcTestEngine) engine = cc_test_engine_start (args, FALSE);
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) listed = NULL;
  g_autoptr(GVariant) tested = NULL;
  g_autofree const char **paths = NULL;
  g_autofree char *err = NULL;
  gboolean ok = FALSE;

  /* The engine works without GTK... */
  listed = cc_test_call (engine->bus, CC_TEST_PATH, CC_TEST_MANAGER, "ListWorkflows", NULL,
                         &error);
  g_assert_no_error (error);
  g_variant_get (listed, "(^a&o)", &paths);
  g_assert_cmpuint (g_strv_length ((char **) paths), ==, 3);
  tested = cc_test_call (engine->bus, CC_TEST_PATH, CC_TEST_MANAGER, "TestConnection",
                         g_variant_new ("(s)", "campaign"), &error);
  g_assert_no_error (error);
  g_variant_get (tested, "(b&s)", &ok, NULL);
  g_assert_true (ok);

  /* ...but cannot show a window, and says so. */
  g_assert_cmpint (run_app (engine, NULL, TRUE, &err), ==, 1);
  g_assert_nonnull (strstr (err, "display"));
  g_assert_cmpuint (window_count (engine), ==, 0);

  cc_test_engine_quit (engine);
}

static void
test_broken_config (void)
{
  g_autoptr(GError) error = NULL;
  CcTestEngine folders = { NULL };
  g_autofree char *dir = NULL;
  g_autofree char *file = NULL;
  g_autofree char *err = NULL;
  g_autofree char *untouched = NULL;

  /* Only the folders of an engine: none runs. */
  folders.root = g_dir_make_tmp ("cc-broken-XXXXXX", &error);
  g_assert_no_error (error);
  dir = g_build_filename (folders.root, "config", "campaign-connector", NULL);
  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  file = g_build_filename (dir, "config.json", NULL);
  g_assert_true (g_file_set_contents (file, "{ \"version\": 1, ", -1, NULL));

  /* Refused in one line that names the file; nothing is overwritten. */
  g_assert_cmpint (run_app (&folders, "--headless", FALSE, &err), ==, 1);
  g_assert_nonnull (strstr (err, "config.json"));
  g_assert_true (g_str_has_suffix (err, "\n"));
  g_assert_true (strchr (err, '\n') == err + strlen (err) - 1);
  g_assert_true (g_file_get_contents (file, &untouched, NULL, NULL));
  g_assert_cmpstr (untouched, ==, "{ \"version\": 1, ");

  g_unlink (file);
  g_rmdir (dir);
  g_free (dir);
  dir = g_build_filename (folders.root, "config", NULL);
  g_rmdir (dir);
  g_rmdir (folders.root);
  g_free (folders.root);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/dbus/attach/gui", test_gui_attaches);
  g_test_add_func ("/dbus/attach/no-display", test_no_display);
  g_test_add_func ("/dbus/attach/broken-config", test_broken_config);
  return g_test_run ();
}
