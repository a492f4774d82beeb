/* test-workflows.c — the main window over a real engine and the sandbox:
 * the rows, Start/Stop, pending changes, a failure and a notice, driven
 * like a user would, with a screenshot of each state checked. */
#include "config.h"

#include <glib/gi18n.h>

#include "cc-actions-cell.h"
#include "cc-activity-graph.h"
#include "cc-edit-dialog.h"
#include "cc-ingress-dialog.h"
#include "cc-status-cell.h"
#include "cc-test-admin.h"
#include "cc-test-cells.h"
#include "cc-test-notifications.h"
#include "cc-test-ui.h"
#include "cc-test-util.h"
#include "cc-time-label.h"
#include "cc-workflow-details.h"

#define TIMEOUT 60

/* The label of the first GtkLabel under @widget. */
static const char *
first_label (GtkWidget *widget)
{
  GtkWidget *label = cc_test_ui_find (widget, GTK_TYPE_LABEL, NULL, NULL);

  g_assert_nonnull (label);
  return gtk_label_get_label (GTK_LABEL (label));
}

static void
test_lists_workflows (void)
{
  CcTestUiWorld world;
  GListModel *workflows;
  g_autofree char *png = NULL;

  cc_test_ui_world_init (&world, TRUE);
  cc_test_ui_world_open (&world);

  /* Configured (sandbox): the table, not the empty page. */
  g_assert_true (cc_test_wait_until (cc_test_cells_rows_shown, world.window, TIMEOUT));

  workflows = cc_engine_get_workflows (world.engine);
  g_assert_cmpuint (g_list_model_get_n_items (workflows), ==, 3);
  for (guint i = 0; i < 3; i++)
    {
      g_autoptr(CcWorkflow) workflow = g_list_model_get_item (workflows, i);
      const char *id = cc_workflow_get_id (workflow);
      CcStatusCell *status = cc_test_cells_find_status (GTK_WIDGET (world.window), id);
      CcActionsCell *actions = cc_test_cells_find_actions (GTK_WIDGET (world.window), id);
      GtkWidget *title;

      /* Each row shows the engine's title and status word. */
      title = cc_test_ui_find (GTK_WIDGET (world.window), GTK_TYPE_LABEL, cc_test_cells_label_has_text,
                               (gpointer) cc_workflow_get_title (workflow));
      g_assert_nonnull (title);
      g_assert_nonnull (status);
      g_assert_nonnull (cc_test_ui_find (GTK_WIDGET (status), GTK_TYPE_LABEL, cc_test_cells_label_has_text,
                                         (gpointer) cc_workflow_status_to_label (CC_WORKFLOW_STOPPED)));
      /* Stopped: the button offers Start. */
      g_assert_cmpstr (first_label (GTK_WIDGET (cc_actions_cell_get_toggle_button (actions))),
                       ==, C_("action", "Start"));
    }
  g_assert_nonnull (cc_test_ui_find (GTK_WIDGET (world.window), GTK_TYPE_LABEL, cc_test_cells_label_has_text,
                                     (gpointer) "Microsoft Dynamics 365 to Campaign"));

  png = cc_test_ui_save_png (GTK_WIDGET (world.window), "main-window");
  g_assert_true (g_file_test (png, G_FILE_TEST_IS_REGULAR));

  /* The dark style: the same rows, light on dark. */
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), ADW_COLOR_SCHEME_FORCE_DARK);
  g_assert_true (adw_style_manager_get_dark (adw_style_manager_get_default ()));
  g_clear_pointer (&png, g_free);
  png = cc_test_ui_save_png (GTK_WIDGET (world.window), "main-window-dark");
  g_assert_true (g_file_test (png, G_FILE_TEST_IS_REGULAR));
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), ADW_COLOR_SCHEME_DEFAULT);

  cc_test_ui_world_clear (&world);
}

static gboolean
has_empty_page (GtkWidget *widget,
                gpointer   user_data)
{
  return gtk_stack_get_child_by_name (GTK_STACK (widget), "empty") != NULL;
}

static void
test_empty_state (void)
{
  CcTestUiWorld world;
  GtkStack *stack;
  g_autofree char *png = NULL;

  cc_test_ui_world_init (&world, FALSE);
  cc_test_ui_world_open (&world);

  /* Nothing configured: the page that leads to the connections. */
  stack = GTK_STACK (cc_test_ui_find (GTK_WIDGET (world.window), GTK_TYPE_STACK, has_empty_page, NULL));
  g_assert_nonnull (stack);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (stack), ==, "empty");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (world.window), "win.connections", NULL));
  g_assert_nonnull (cc_test_ui_find_window (g_type_from_name ("CcConnectionsDialog")));

  png = cc_test_ui_save_png (GTK_WIDGET (world.window), "main-window-empty");
  g_assert_true (g_file_test (png, G_FILE_TEST_IS_REGULAR));
  cc_test_ui_world_clear (&world);
}

typedef struct
{
  CcWindow   *window;
  const char *id;
  const char *text;
} LabelWait;

static gboolean
status_label_is (gpointer user_data)
{
  LabelWait *wait = user_data;
  CcStatusCell *cell = cc_test_cells_find_status (GTK_WIDGET (wait->window), wait->id);

  return cell != NULL
         && cc_test_ui_find (GTK_WIDGET (cell), GTK_TYPE_LABEL, cc_test_cells_label_has_text,
                             (gpointer) wait->text) != NULL;
}

/* The label in column @column of @id's row. Cells of a row are siblings;
 * the actions cell sits in one of them. */
static const char *
cell_text (CcWindow   *window,
           const char *id,
           guint       column)
{
  GtkWidget *actions = GTK_WIDGET (cc_test_cells_find_actions (GTK_WIDGET (window), id));
  GtkWidget *row, *cell;

  if (actions == NULL)
    return NULL;
  row = gtk_widget_get_parent (gtk_widget_get_parent (actions));
  cell = gtk_widget_get_first_child (row);
  for (guint i = 0; i < column && cell != NULL; i++)
    cell = gtk_widget_get_next_sibling (cell);
  return cell != NULL ? first_label (cell) : NULL;
}

static gboolean
backlog_cell_zero (gpointer user_data)
{
  LabelWait *wait = user_data;

  /* Columns: workflow, status, backlog, written, … */
  return g_strcmp0 (cell_text (wait->window, wait->id, 2), "0") == 0
         && g_strcmp0 (cell_text (wait->window, wait->id, 3), "0") != 0;
}

static gboolean
backlog_is_zero_and_written (gpointer user_data)
{
  CcWorkflow *workflow = user_data;

  return cc_workflow_get_backlog (workflow) == 0 && cc_workflow_get_written (workflow) > 0;
}

typedef struct
{
  CcWindow *window;
  GArray   *seen;            /* CcWorkflowStatus, in order */
  gboolean  starting_shown;  /* the row said Starting while starting */
  GThread  *main_thread;
  gboolean  off_main;        /* a change was notified from another thread */
} StatusLog;

static gboolean status_label_is (gpointer user_data);

static void
record_status (CcWorkflow *workflow,
               GParamSpec *pspec,
               StatusLog  *log)
{
  CcWorkflowStatus status = cc_workflow_get_status (workflow);

  g_array_append_val (log->seen, status);
  if (g_thread_self () != log->main_thread)
    log->off_main = TRUE;
  /* The cell heard the change before us: look at it now. */
  if (status == CC_WORKFLOW_STARTING)
    {
      LabelWait wait = { log->window, "ingress", cc_workflow_status_to_label (status) };
      log->starting_shown = status_label_is (&wait);
    }
}

static gboolean
graph_has_samples (gpointer user_data)
{
  return cc_activity_graph_get_n_samples (user_data) >= 2;
}

static void
test_start_runs (void)
{
  CcTestUiWorld world;
  CcWorkflowDetails *details;
  CcActivityGraph *graph;
  CcWorkflow *ingress;
  CcActionsCell *actions;
  g_autoptr(GArray) seen = g_array_new (FALSE, FALSE, sizeof (CcWorkflowStatus));
  StatusLog log = { NULL, seen, FALSE, g_thread_self (), FALSE };
  LabelWait wait;
  g_autofree char *png = NULL;
  gulong handler;

  cc_test_ui_world_init (&world, TRUE);
  cc_test_ui_world_open (&world);
  g_assert_true (cc_test_wait_until (cc_test_cells_rows_shown, world.window, TIMEOUT));

  ingress = cc_engine_find_workflow (world.engine, "ingress");
  log.window = world.window;
  handler = g_signal_connect (ingress, "notify::status", G_CALLBACK (record_status), &log);

  /* Click Start like a user. */
  actions = cc_test_cells_find_actions (GTK_WIDGET (world.window), "ingress");
  cc_test_ui_click (GTK_WIDGET (cc_actions_cell_get_toggle_button (actions)));

  /* Starting first, right away, then Running. */
  g_assert_cmpuint (seen->len, >=, 1);
  g_assert_cmpint (g_array_index (seen, CcWorkflowStatus, 0), ==, CC_WORKFLOW_STARTING);
  g_assert_true (log.starting_shown);
  wait = (LabelWait) { world.window, "ingress", NULL };
  g_assert_cmpstr (first_label (GTK_WIDGET (cc_actions_cell_get_toggle_button (actions))), ==,
                   C_("action", "Stop"));

  /* The status changes on the main thread, its notification with it: once
   * it reads Running, that change has been recorded too. */
  g_assert_true (cc_test_ui_wait_status (ingress, CC_WORKFLOW_RUNNING, TIMEOUT));
  g_assert_false (log.off_main);
  g_assert_cmpuint (seen->len, ==, 2);
  g_assert_cmpint (g_array_index (seen, CcWorkflowStatus, 1), ==, CC_WORKFLOW_RUNNING);
  wait.text = cc_workflow_status_to_label (CC_WORKFLOW_RUNNING);
  g_assert_true (cc_test_wait_until (status_label_is, &wait, TIMEOUT));

  /* The seeded contacts all get written: the backlog drains to 0. */
  g_assert_true (cc_test_wait_until (backlog_is_zero_and_written, ingress, TIMEOUT));
  g_assert_cmpint (cc_workflow_get_status (ingress), ==, CC_WORKFLOW_RUNNING);
  g_assert_true (cc_test_wait_until (backlog_cell_zero, &wait, TIMEOUT));

  png = cc_test_ui_save_png (GTK_WIDGET (world.window), "main-window-running");
  g_assert_true (g_file_test (png, G_FILE_TEST_IS_REGULAR));

  /* Ctrl+I on the selected (first) row: its details, live. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (world.window), "win.details-selected", NULL));
  details = CC_WORKFLOW_DETAILS (cc_test_ui_find_window (CC_TYPE_WORKFLOW_DETAILS));
  g_assert_nonnull (details);
  g_assert_true (cc_workflow_details_get_workflow (details) == ingress);
  g_assert_true (cc_test_ui_wait_mapped (GTK_WIDGET (details), TIMEOUT));
  graph = CC_ACTIVITY_GRAPH (cc_test_ui_find (GTK_WIDGET (details), CC_TYPE_ACTIVITY_GRAPH, NULL, NULL));
  g_assert_nonnull (graph);
  g_assert_true (cc_test_wait_until (graph_has_samples, graph, TIMEOUT));
  /* The history says it started. */
  g_assert_cmpuint (cc_workflow_details_get_n_history (details), >=, 1);
  g_clear_pointer (&png, g_free);
  png = cc_test_ui_save_png (GTK_WIDGET (details), "details-running");
  g_assert_true (g_file_test (png, G_FILE_TEST_IS_REGULAR));
  cc_workflow_details_show_page (details, "history");
  g_clear_pointer (&png, g_free);
  png = cc_test_ui_save_png (GTK_WIDGET (details), "details-history");
  g_assert_true (g_file_test (png, G_FILE_TEST_IS_REGULAR));
  gtk_window_destroy (GTK_WINDOW (details));

  /* Stop: the same button. */
  cc_test_ui_click (GTK_WIDGET (cc_actions_cell_get_toggle_button (actions)));
  g_assert_true (cc_test_ui_wait_status (ingress, CC_WORKFLOW_STOPPED, TIMEOUT));
  g_assert_cmpstr (first_label (GTK_WIDGET (cc_actions_cell_get_toggle_button (actions))), ==,
                   C_("action", "Start"));

  g_signal_handler_disconnect (ingress, handler);
  cc_test_ui_world_clear (&world);
}

static gboolean
pending_icon_shown (gpointer user_data)
{
  CcActionsCell *actions = user_data;
  GtkWidget *button = GTK_WIDGET (cc_actions_cell_get_toggle_button (actions));
  GtkWidget *icon = NULL;

  /* The warning is the button's last image. */
  for (GtkWidget *w = cc_test_ui_find (button, GTK_TYPE_BOX, NULL, NULL); w != NULL; w = NULL)
    for (GtkWidget *child = gtk_widget_get_first_child (w); child != NULL;
         child = gtk_widget_get_next_sibling (child))
      if (GTK_IS_IMAGE (child))
        icon = child;
  return icon != NULL && gtk_widget_get_visible (icon)
         && gtk_widget_has_css_class (button, "cc-pending");
}

static gboolean
is_poll_spin (GtkWidget *widget,
              gpointer   user_data)
{
  /* Seconds between polls: 1 to 3600. */
  return gtk_adjustment_get_upper (gtk_spin_button_get_adjustment (GTK_SPIN_BUTTON (widget))) == 3600;
}

static gboolean
is_drawable (gpointer user_data)
{
  return gtk_widget_is_drawable (user_data);
}

static gboolean
is_schema_note (GtkWidget *widget,
                gpointer   user_data)
{
  return strstr (gtk_label_get_label (GTK_LABEL (widget)), "stops itself") != NULL;
}

/* The dialog of a running workflow says what a schema change does to it
 * and what to do then. */
static void
assert_schema_note (GtkWidget *dialog)
{
  GtkWidget *note = cc_test_ui_find (dialog, GTK_TYPE_LABEL, is_schema_note, NULL);
  GtkWidget *revealer = note != NULL ? gtk_widget_get_ancestor (note, GTK_TYPE_REVEALER) : NULL;
  const char *text;

  g_assert_nonnull (note);
  g_assert_true (gtk_revealer_get_reveal_child (GTK_REVEALER (revealer)));
  g_assert_true (cc_test_wait_until (is_drawable, note, TIMEOUT));
  text = gtk_label_get_label (GTK_LABEL (note));
  g_assert_nonnull (strstr (text, "removed or made read-only"));
  g_assert_nonnull (strstr (text, "names the field"));
  g_assert_nonnull (strstr (text, "Nothing it has queued is lost"));
  g_assert_nonnull (strstr (text, "start the workflow again"));
  g_free (cc_test_ui_save_png (dialog, "edit-dialog-running"));
}

static gboolean
dialog_gone (gpointer user_data)
{
  return cc_test_ui_find_window (CC_TYPE_INGRESS_DIALOG) == NULL;
}

static gboolean
question_shown (gpointer user_data)
{
  GtkWindow *question = cc_test_ui_find_window (ADW_TYPE_MESSAGE_DIALOG);

  return question != NULL && gtk_widget_get_mapped (GTK_WIDGET (question));
}

/* Clicks the Stop button of a workflow with pending changes: the window
 * asks, and the workflow goes on running until the question is answered. */
static AdwMessageDialog *
click_stop_for_question (CcActionsCell *actions)
{
  CcWorkflow *workflow = cc_actions_cell_get_workflow (actions);

  cc_test_ui_click (GTK_WIDGET (cc_actions_cell_get_toggle_button (actions)));
  g_assert_true (cc_test_wait_until (question_shown, NULL, TIMEOUT));
  g_assert_cmpint (cc_workflow_get_status (workflow), ==, CC_WORKFLOW_RUNNING);
  return ADW_MESSAGE_DIALOG (cc_test_ui_find_window (ADW_TYPE_MESSAGE_DIALOG));
}

static void
test_pending_changes (void)
{
  CcTestUiWorld world;
  CcWorkflow *ingress;
  CcActionsCell *actions;
  CcIngressDialog *dialog;
  GtkSpinButton *poll;
  AdwMessageDialog *question;
  g_autofree char *png = NULL;
  const char *tooltip = NULL;

  cc_test_ui_world_init (&world, TRUE);
  cc_test_ui_world_open (&world);
  g_assert_true (cc_test_wait_until (cc_test_cells_rows_shown, world.window, TIMEOUT));
  ingress = cc_engine_find_workflow (world.engine, "ingress");
  actions = cc_test_cells_find_actions (GTK_WIDGET (world.window), "ingress");

  cc_test_ui_click (GTK_WIDGET (cc_actions_cell_get_toggle_button (actions)));
  g_assert_true (cc_test_ui_wait_status (ingress, CC_WORKFLOW_RUNNING, TIMEOUT));
  g_assert_false (pending_icon_shown (actions));

  /* Edit while running: the pencil, a change, Save. */
  cc_test_ui_click (GTK_WIDGET (cc_actions_cell_get_edit_button (actions)));
  dialog = CC_INGRESS_DIALOG (cc_test_ui_find_window (CC_TYPE_INGRESS_DIALOG));
  g_assert_nonnull (dialog);
  g_assert_true (cc_test_ui_wait_mapped (GTK_WIDGET (dialog), TIMEOUT));
  assert_schema_note (GTK_WIDGET (dialog));
  poll = GTK_SPIN_BUTTON (cc_test_ui_find (GTK_WIDGET (dialog), GTK_TYPE_SPIN_BUTTON,
                                           is_poll_spin, NULL));
  g_assert_nonnull (poll);
  gtk_spin_button_set_value (poll, gtk_spin_button_get_value (poll) + 1);
  {
    g_autoptr(GtkWindow) keep = g_object_ref (GTK_WINDOW (dialog));

    cc_test_ui_click (GTK_WIDGET (cc_edit_dialog_get_save_button (CC_EDIT_DIALOG (dialog))));
    g_assert_null (cc_edit_dialog_get_error (CC_EDIT_DIALOG (dialog)));
  }
  g_assert_true (cc_test_wait_until (dialog_gone, NULL, TIMEOUT));

  /* Still running on the applied configuration; Stop warns. */
  g_assert_true (cc_workflow_get_pending_changes (ingress));
  g_assert_cmpint (cc_workflow_get_status (ingress), ==, CC_WORKFLOW_RUNNING);
  g_assert_true (cc_test_wait_until (pending_icon_shown, actions, TIMEOUT));
  tooltip = gtk_widget_get_tooltip_text (GTK_WIDGET (cc_actions_cell_get_toggle_button (actions)));
  g_assert_nonnull (tooltip);
  g_assert_nonnull (strstr (tooltip, "stopped and started again"));
  png = cc_test_ui_save_png (GTK_WIDGET (world.window), "main-window-pending");
  g_assert_true (g_file_test (png, G_FILE_TEST_IS_REGULAR));
  g_clear_pointer (&png, g_free);

  /* Stop asks first, saying what waits and when it applies; Cancel
   * keeps it running. */
  question = click_stop_for_question (actions);
  g_assert_nonnull (strstr (adw_message_dialog_get_heading (question), "Microsoft Dynamics 365 to Campaign"));
  g_assert_nonnull (strstr (adw_message_dialog_get_body (question), "Seconds Between Polls"));
  g_assert_nonnull (strstr (adw_message_dialog_get_body (question), "started again"));
  g_assert_true (adw_message_dialog_has_response (question, "stop"));
  g_assert_true (adw_message_dialog_has_response (question, "cancel"));
  png = cc_test_ui_save_png (GTK_WIDGET (question), "question-stop-pending");
  cc_test_ui_answer (question, "cancel");
  g_assert_cmpint (cc_workflow_get_status (ingress), ==, CC_WORKFLOW_RUNNING);
  g_assert_true (cc_workflow_get_pending_changes (ingress));

  /* Stop (answered) + Start applies it and the warning goes. */
  question = click_stop_for_question (actions);
  cc_test_ui_answer (question, "stop");
  g_assert_true (cc_test_ui_wait_status (ingress, CC_WORKFLOW_STOPPED, TIMEOUT));
  cc_test_ui_click (GTK_WIDGET (cc_actions_cell_get_toggle_button (actions)));
  g_assert_true (cc_test_ui_wait_status (ingress, CC_WORKFLOW_RUNNING, TIMEOUT));
  g_assert_false (cc_workflow_get_pending_changes (ingress));
  g_assert_false (pending_icon_shown (actions));

  cc_test_ui_world_clear (&world);
}

static gboolean
window_inactive (gpointer user_data)
{
  return !gtk_window_is_active (user_data);
}

static void
test_wrong_secret_fails (void)
{
  CcTestNotifications notifications = { 0 };
  GtkWidget *other;
  CcTestUiWorld world;
  g_autoptr(CcSandbox) sandbox = NULL;
  g_autoptr(GVariant) dynamics = NULL;
  g_autoptr(GVariant) campaign = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *token_url = NULL;
  g_autofree char *ims_url = NULL;
  g_autofree char *journal_url = NULL;
  g_autofree char *png = NULL;
  GVariantBuilder builder;
  CcSandboxOptions options;
  CcWorkflow *ingress;
  CcActionsCell *actions;
  CcStatusCell *status;
  const char *tooltip = NULL;
  LabelWait wait;

  /* A real configuration (not sandbox mode) that points at the emulators
   * with a wrong Dynamics 365 secret, kept in the keyring. */
  cc_sandbox_options_init (&options);
  sandbox = cc_sandbox_new (&options);
  g_assert_true (cc_sandbox_start (sandbox, &error));
  g_assert_no_error (error);
  cc_test_ui_world_init (&world, FALSE);

  token_url = g_strconcat (cc_sandbox_get_dataverse_url (sandbox),
                           "/" CC_SANDBOX_TENANT "/oauth2/v2.0/token", NULL);
  g_variant_builder_init (&builder, G_VARIANT_TYPE_VARDICT);
  g_variant_builder_add (&builder, "{sv}", "url", g_variant_new_string (cc_sandbox_get_dataverse_url (sandbox)));
  g_variant_builder_add (&builder, "{sv}", "tenant", g_variant_new_string (CC_SANDBOX_TENANT));
  g_variant_builder_add (&builder, "{sv}", "client-id", g_variant_new_string (CC_SANDBOX_CLIENT_ID));
  g_variant_builder_add (&builder, "{sv}", "token-url", g_variant_new_string (token_url));
  g_variant_builder_add (&builder, "{sv}", "secret", g_variant_new_string ("not-the-secret"));
  dynamics = g_variant_ref_sink (g_variant_builder_end (&builder));
  g_assert_true (cc_engine_set_connection (world.engine, "dynamics", dynamics, &error));
  g_assert_no_error (error);

  ims_url = cc_sandbox_get_ims_url (sandbox);
  journal_url = cc_sandbox_get_journal_url (sandbox);
  g_variant_builder_init (&builder, G_VARIANT_TYPE_VARDICT);
  g_variant_builder_add (&builder, "{sv}", "org", g_variant_new_string (CC_SANDBOX_ORG));
  g_variant_builder_add (&builder, "{sv}", "api-key", g_variant_new_string (CC_SANDBOX_API_KEY));
  g_variant_builder_add (&builder, "{sv}", "api-url", g_variant_new_string (cc_sandbox_get_campaign_url (sandbox)));
  g_variant_builder_add (&builder, "{sv}", "ims-url", g_variant_new_string (ims_url));
  g_variant_builder_add (&builder, "{sv}", "journal-url", g_variant_new_string (journal_url));
  g_variant_builder_add (&builder, "{sv}", "secret", g_variant_new_string (CC_SANDBOX_SECRET));
  campaign = g_variant_ref_sink (g_variant_builder_end (&builder));
  g_assert_true (cc_engine_set_connection (world.engine, "campaign", campaign, &error));
  g_assert_no_error (error);
  g_assert_true (cc_engine_is_configured (world.engine));

  cc_test_ui_world_open (&world);
  g_assert_true (cc_test_wait_until (cc_test_cells_rows_shown, world.window, TIMEOUT));
  ingress = cc_engine_find_workflow (world.engine, "ingress");
  actions = cc_test_cells_find_actions (GTK_WIDGET (world.window), "ingress");
  cc_test_notifications_start (&notifications);

  /* Started, then the user looks at another window before it fails. */
  other = gtk_window_new ();
  gtk_window_set_default_size (GTK_WINDOW (other), 200, 100);
  gtk_window_present (GTK_WINDOW (other));
  g_assert_true (cc_test_wait_until (window_inactive, world.window, TIMEOUT));
  cc_test_ui_click (GTK_WIDGET (cc_actions_cell_get_toggle_button (actions)));

  g_assert_true (cc_test_ui_wait_status (ingress, CC_WORKFLOW_FAILED, TIMEOUT));
  g_assert_cmpstr (cc_workflow_get_last_error (ingress), !=, "");

  /* So the failure is told by a notification too. */
  g_assert_true (cc_test_wait_until (cc_test_notifications_any, &notifications, TIMEOUT));
  g_assert_cmpstr (g_ptr_array_index (notifications.ids, 0), ==, "workflow-failed-ingress");
  g_assert_nonnull (strstr (g_ptr_array_index (notifications.titles, 0), "Microsoft Dynamics 365 to Campaign"));
  cc_test_notifications_stop (&notifications);
  gtk_window_destroy (GTK_WINDOW (other));
  gtk_window_present (GTK_WINDOW (world.window));

  /* The row says Failed, in the error colour, with the message. */
  wait = (LabelWait) { world.window, "ingress", cc_workflow_status_to_label (CC_WORKFLOW_FAILED) };
  g_assert_true (cc_test_wait_until (status_label_is, &wait, TIMEOUT));
  status = cc_test_cells_find_status (GTK_WIDGET (world.window), "ingress");
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (status), "error"));
  tooltip = gtk_widget_get_tooltip_text (GTK_WIDGET (status));
  g_assert_cmpstr (tooltip, ==, cc_workflow_get_last_error (ingress));
  /* Failed offers Start again. */
  g_assert_cmpstr (first_label (GTK_WIDGET (cc_actions_cell_get_toggle_button (actions))), ==,
                   C_("action", "Start"));
  /* And the whole message can be read. */
  cc_test_ui_click (cc_test_ui_find (GTK_WIDGET (status), GTK_TYPE_BUTTON, NULL, NULL));
  g_assert_nonnull (cc_test_ui_find_window (ADW_TYPE_MESSAGE_DIALOG));

  png = cc_test_ui_save_png (GTK_WIDGET (world.window), "main-window-failed");
  g_assert_true (g_file_test (png, G_FILE_TEST_IS_REGULAR));

  cc_test_ui_world_clear (&world);
  cc_sandbox_stop (sandbox);
}

static gboolean
label_mentions (GtkWidget *widget,
                gpointer   user_data)
{
  return strstr (gtk_label_get_label (GTK_LABEL (widget)), user_data) != NULL;
}

/* A label on screen that speaks of switching change tracking on. */
static gboolean
shows_notice (GtkWidget *widget,
              gpointer   user_data)
{
  return gtk_widget_is_drawable (widget) && label_mentions (widget, (gpointer) "Track changes");
}

static gboolean
notice_shown (gpointer user_data)
{
  return cc_test_ui_find (user_data, GTK_TYPE_LABEL, shows_notice, NULL) != NULL;
}

static gboolean
widget_visible (gpointer widget)
{
  return gtk_widget_get_visible (widget);
}

/* Contact without change tracking: Opt-in/Opt-out runs all the same, its
 * row shows an information icon that says why, and its details say, as
 * a notice and in the history, that Contact is polled and that change
 * tracking would be faster. */
static void
test_polled_notice (void)
{
  CcTestUiWorld world;
  CcWorkflow *optinout;
  CcActionsCell *actions;
  CcStatusCell *status;
  GtkWindow *details;
  GtkWidget *notice, *icon;
  g_autoptr(JsonNode) off = NULL;
  g_autofree char *png = NULL;

  cc_test_ui_world_init (&world, TRUE);
  off = cc_test_admin (cc_sandbox_get_dataverse_url (world.sandbox), "POST",
                       "/_sandbox/tables/contacts/change-tracking", "{\"enabled\": false}");
  cc_test_ui_world_open (&world);
  g_assert_true (cc_test_wait_until (cc_test_cells_rows_shown, world.window, TIMEOUT));

  optinout = cc_engine_find_workflow (world.engine, "optinout");
  actions = cc_test_cells_find_actions (GTK_WIDGET (world.window), "optinout");
  cc_test_ui_click (GTK_WIDGET (cc_actions_cell_get_toggle_button (actions)));
  g_assert_true (cc_test_ui_wait_status (optinout, CC_WORKFLOW_RUNNING, TIMEOUT));

  /* The row says it too, without alarm: an information icon after the
   * title, whose tooltip is the notice; the status stays Running. */
  icon = cc_title_cell_get_notice_icon (cc_test_cells_find_title (GTK_WIDGET (world.window),
                                                                  "optinout"));
  g_assert_true (cc_test_wait_until (widget_visible, icon, TIMEOUT));
  g_assert_cmpstr (gtk_widget_get_tooltip_text (icon), ==, cc_workflow_get_notice (optinout));
  g_assert_nonnull (strstr (gtk_widget_get_tooltip_text (icon), "Track changes"));
  g_assert_false (gtk_widget_get_visible (
    cc_title_cell_get_notice_icon (cc_test_cells_find_title (GTK_WIDGET (world.window), "ingress"))));
  status = cc_test_cells_find_status (GTK_WIDGET (world.window), "optinout");
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (status), "success"));
  png = cc_test_ui_save_png (GTK_WIDGET (world.window), "main-window-notice");
  g_assert_true (g_file_test (png, G_FILE_TEST_IS_REGULAR));
  g_clear_pointer (&png, g_free);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (world.window), "win.details", "s",
                                             "optinout"));
  details = cc_test_ui_find_window (CC_TYPE_WORKFLOW_DETAILS);
  g_assert_nonnull (details);
  g_assert_true (cc_test_ui_wait_mapped (GTK_WIDGET (details), TIMEOUT));
  g_assert_true (cc_test_wait_until (notice_shown, details, TIMEOUT));
  notice = cc_test_ui_find (GTK_WIDGET (details), GTK_TYPE_LABEL, shows_notice, NULL);
  g_assert_nonnull (strstr (gtk_label_get_label (GTK_LABEL (notice)), "“contact”"));
  /* A notice, not a failure. */
  g_assert_false (gtk_widget_has_css_class (notice, "error"));
  g_assert_cmpint (cc_workflow_get_status (optinout), ==, CC_WORKFLOW_RUNNING);
  png = cc_test_ui_save_png (GTK_WIDGET (details), "details-polled");
  g_assert_true (g_file_test (png, G_FILE_TEST_IS_REGULAR));

  cc_workflow_details_show_page (CC_WORKFLOW_DETAILS (details), "history");
  g_assert_true (cc_test_wait_until (notice_shown, details, TIMEOUT));
  cc_test_ui_scroll_to (cc_test_ui_find (GTK_WIDGET (details), GTK_TYPE_LABEL, shows_notice, NULL));
  g_clear_pointer (&png, g_free);
  png = cc_test_ui_save_png (GTK_WIDGET (details), "details-polled-history");
  g_assert_true (g_file_test (png, G_FILE_TEST_IS_REGULAR));
  gtk_window_destroy (details);

  cc_test_ui_click (GTK_WIDGET (cc_actions_cell_get_toggle_button (actions)));
  g_assert_true (cc_test_ui_wait_status (optinout, CC_WORKFLOW_STOPPED, TIMEOUT));
  cc_test_ui_world_clear (&world);
}

int
main (int argc, char **argv)
{
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  g_test_add_func ("/ui/workflows/lists-three", test_lists_workflows);
  g_test_add_func ("/ui/workflows/empty-state", test_empty_state);
  g_test_add_func ("/ui/workflows/start-runs", test_start_runs);
  g_test_add_func ("/ui/workflows/pending-changes", test_pending_changes);
  g_test_add_func ("/ui/workflows/wrong-secret-fails", test_wrong_secret_fails);
  g_test_add_func ("/ui/workflows/polled-notice", test_polled_notice);
  return g_test_run ();
}
