/* test-close.c — closing the window while workflows run, in the real
 * application: it asks whether to keep syncing in the background (and
 * says how to get the window back) or to stop; the engine then goes on
 * without a window, and a later campaign-connector opens one on that
 * same engine (GApplication uniqueness, on the test's private bus); the
 * choice can be remembered, and a remembered one is not asked again.
 *
 * Each test runs the application (with --sandbox) and plays its part
 * from the first "activate", waiting on conditions while the
 * application's own main loop goes on.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "cc-application.h"
#include "cc-test-cells.h"
#include "cc-test-notifications.h"
#include "cc-test-ui.h"
#include "cc-test-util.h"
#include "cc-window.h"

#define TIMEOUT 60

typedef void (*Scenario) (CcApplication *app);

/* The notifications the application sent while a scenario played. */
static CcTestNotifications notifications;

static GSettings *
settings (void)
{
  static GSettings *settings;

  if (settings == NULL)
    settings = g_settings_new (APP_ID);
  return settings;
}

static CcWindow *
main_window (GApplication *app)
{
  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (app)); l != NULL; l = l->next)
    if (CC_IS_WINDOW (l->data))
      return l->data;
  return NULL;
}

static gboolean
no_main_window (gpointer app)
{
  return main_window (app) == NULL;
}

static gboolean
main_window_shown (gpointer app)
{
  CcWindow *window = main_window (app);

  return window != NULL && gtk_widget_get_mapped (GTK_WIDGET (window))
         && cc_test_cells_rows_shown (window);
}

static gboolean
question_shown (gpointer user_data)
{
  GtkWindow *question = cc_test_ui_find_window (ADW_TYPE_MESSAGE_DIALOG);

  return question != NULL && gtk_widget_get_mapped (GTK_WIDGET (question));
}

/* Starts ingress (unless the engine resumed it, running when an earlier
 * test quit) and waits until it runs. */
static CcWorkflow *
start_ingress (CcApplication *app)
{
  CcWorkflow *ingress = cc_engine_find_workflow (cc_application_get_engine (app), "ingress");
  CcWorkflowStatus status = cc_workflow_get_status (ingress);
  g_autoptr(GError) error = NULL;

  if (status == CC_WORKFLOW_STOPPED || status == CC_WORKFLOW_FAILED)
    g_assert_true (cc_workflow_start (ingress, &error));
  g_assert_no_error (error);
  g_assert_true (cc_test_ui_wait_status (ingress, CC_WORKFLOW_RUNNING, TIMEOUT));
  return ingress;
}

/* Closes the window as its close button does, and returns the question. */
static AdwMessageDialog *
close_for_question (CcApplication *app)
{
  gtk_window_close (GTK_WINDOW (main_window (G_APPLICATION (app))));
  g_assert_true (cc_test_wait_until (question_shown, NULL, TIMEOUT));
  return ADW_MESSAGE_DIALOG (cc_test_ui_find_window (ADW_TYPE_MESSAGE_DIALOG));
}

typedef struct
{
  gboolean  done;
  gboolean  ok;
} Launch;

static void
on_launched (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  Launch *launch = user_data;

  launch->ok = g_subprocess_wait_check_finish (G_SUBPROCESS (source), result, NULL);
  launch->done = TRUE;
}

static gboolean
launched (gpointer user_data)
{
  return ((Launch *) user_data)->done;
}

/* Starts campaign-connector again, as a user does: it finds this one
 * on the bus and hands it its command line. */
static void
launch_again (CcApplication *app)
{
  g_autofree char *program = g_build_filename (g_getenv ("CC_BUILD_DIR"), "src", "ui",
                                               "campaign-connector", NULL);
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  Launch launch = { FALSE, FALSE };

  process = g_subprocess_new (G_SUBPROCESS_FLAGS_NONE, &error, program, NULL);
  g_assert_no_error (error);
  g_subprocess_wait_check_async (process, NULL, on_launched, &launch);
  g_assert_true (cc_test_wait_until (main_window_shown, app, TIMEOUT));
  g_assert_true (cc_test_wait_until (launched, &launch, TIMEOUT));
  g_assert_true (launch.ok);
}

/* Ask → keep syncing → the window comes back on a second start, on the
 * same running engine → ask → stop, remembered. */
static void
ask_then_background_then_stop (CcApplication *app)
{
  CcWorkflow *ingress = start_ingress (app);
  AdwMessageDialog *question;
  g_autofree char *png = NULL;

  question = close_for_question (app);
  g_assert_nonnull (strstr (adw_message_dialog_get_body (question), "campaign-connector"));
  g_assert_true (adw_message_dialog_has_response (question, "background"));
  g_assert_true (adw_message_dialog_has_response (question, "stop"));
  g_assert_true (adw_message_dialog_has_response (question, "cancel"));
  png = cc_test_ui_save_png (GTK_WIDGET (question), "question-close-running");

  /* Cancel: nothing happens. */
  cc_test_ui_answer (question, "cancel");
  g_assert_nonnull (main_window (G_APPLICATION (app)));

  /* Keep syncing: the window goes, the engine does not, and a
   * notification says how to get the window back. */
  question = close_for_question (app);
  cc_test_ui_answer (question, "background");
  g_assert_true (cc_test_wait_until (no_main_window, app, TIMEOUT));
  g_assert_cmpint (cc_workflow_get_status (ingress), ==, CC_WORKFLOW_RUNNING);
  g_assert_true (cc_test_wait_until (cc_test_notifications_any, &notifications, TIMEOUT));
  g_assert_cmpstr (g_ptr_array_index (notifications.ids, 0), ==, "background");

  /* A second start shows the same engine, ingress still running. */
  launch_again (app);
  g_assert_true (cc_window_get_engine (main_window (G_APPLICATION (app))) == cc_application_get_engine (app));
  g_assert_cmpint (cc_workflow_get_status (ingress), ==, CC_WORKFLOW_RUNNING);

  /* Stop, remembered: the workflows stop and the application ends. */
  question = close_for_question (app);
  gtk_check_button_set_active (GTK_CHECK_BUTTON (adw_message_dialog_get_extra_child (question)), TRUE);
  cc_test_ui_answer (question, "stop");
  g_assert_true (cc_test_ui_wait_status (ingress, CC_WORKFLOW_STOPPED, TIMEOUT));
  g_assert_true (cc_test_wait_until (no_main_window, app, TIMEOUT));
}

/* Remembered "background": no question, the window goes, the engine
 * goes on (until quit). */
static void
remembered_background (CcApplication *app)
{
  CcWorkflow *ingress = start_ingress (app);

  gtk_window_close (GTK_WINDOW (main_window (G_APPLICATION (app))));
  g_assert_true (cc_test_wait_until (no_main_window, app, TIMEOUT));
  g_assert_null (cc_test_ui_find_window (ADW_TYPE_MESSAGE_DIALOG));
  g_assert_cmpint (cc_workflow_get_status (ingress), ==, CC_WORKFLOW_RUNNING);
  g_application_quit (G_APPLICATION (app));
}

/* Remembered "stop": no question, the workflows stop. */
static void
remembered_stop (CcApplication *app)
{
  CcWorkflow *ingress = start_ingress (app);

  gtk_window_close (GTK_WINDOW (main_window (G_APPLICATION (app))));
  g_assert_true (cc_test_wait_until (no_main_window, app, TIMEOUT));
  g_assert_null (cc_test_ui_find_window (ADW_TYPE_MESSAGE_DIALOG));
  g_assert_true (cc_test_ui_wait_status (ingress, CC_WORKFLOW_STOPPED, TIMEOUT));
}

static void
on_activate (GApplication *app,
             gpointer      user_data)
{
  static gboolean playing;
  Scenario scenario = user_data;

  /* The second start activates again while the scenario plays. */
  if (playing)
    return;
  playing = TRUE;
  g_assert_true (cc_test_wait_until (main_window_shown, app, TIMEOUT));
  scenario (CC_APPLICATION (app));
  playing = FALSE;
}

/* Runs the application on the sandbox with @scenario; it must end by
 * itself (or by the scenario's quit) with status 0. */
static void
run (Scenario scenario)
{
  g_autoptr(CcApplication) app = cc_application_new ();
  char *argv[] = { (char *) "campaign-connector", (char *) "--sandbox", NULL };

  cc_test_notifications_start (&notifications);
  g_signal_connect_after (app, "activate", G_CALLBACK (on_activate), scenario);
  g_assert_cmpint (g_application_run (G_APPLICATION (app), 2, argv), ==, 0);
}

static void
test_ask (void)
{
  g_settings_reset (settings (), "close-action");
  run (ask_then_background_then_stop);
  cc_test_notifications_stop (&notifications);
  g_assert_cmpstr (g_settings_get_string (settings (), "close-action"), ==, "stop");
}

static void
test_remembered_background (void)
{
  g_settings_set_string (settings (), "close-action", "background");
  run (remembered_background);
  cc_test_notifications_stop (&notifications);
}

static void
test_remembered_stop (void)
{
  g_settings_set_string (settings (), "close-action", "stop");
  run (remembered_stop);
  cc_test_notifications_stop (&notifications);
}

int
main (int argc, char **argv)
{
  gtk_test_init (&argc, &argv, NULL);

  g_test_add_func ("/ui/close/ask", test_ask);
  g_test_add_func ("/ui/close/remembered-background", test_remembered_background);
  g_test_add_func ("/ui/close/remembered-stop", test_remembered_stop);
  return g_test_run ();
}
