/* test-keyboard.c — the main window driven from the keyboard alone: the
 * shortcuts act on the row the focus is in. The keys are pressed on the
 * X server (xdotool), so they go through GTK's own key handling. */
#include "config.h"

#include "cc-actions-cell.h"
#include "cc-optinout-dialog.h"
#include "cc-ingress-dialog.h"
#include "cc-test-cells.h"
#include "cc-test-input.h"
#include "cc-test-ui.h"
#include "cc-test-util.h"

#define TIMEOUT 60

typedef struct
{
  GtkWindow *window;
  GtkWidget *widget;
} FocusWait;

static gboolean
has_focus (gpointer user_data)
{
  FocusWait *wait = user_data;

  return gtk_window_is_active (wait->window)
         && gtk_root_get_focus (GTK_ROOT (wait->window)) == wait->widget;
}

static gboolean
focus_moved (gpointer user_data)
{
  FocusWait *wait = user_data;

  return gtk_root_get_focus (GTK_ROOT (wait->window)) != wait->widget;
}

/* Presses Tab and waits until the focus has left where it was. */
static void
tab_once (GtkWindow *window)
{
  FocusWait wait = { window, gtk_root_get_focus (GTK_ROOT (window)) };

  cc_test_input_press_keys ("Tab");
  g_assert_true (cc_test_wait_until (focus_moved, &wait, TIMEOUT));
}

static gboolean
editor_shown (gpointer user_data)
{
  GtkWindow *dialog = cc_test_ui_find_window (GPOINTER_TO_SIZE (user_data));

  return dialog != NULL && gtk_widget_get_mapped (GTK_WIDGET (dialog));
}

static guint
selected_position (GtkWidget *window)
{
  GtkColumnView *view = GTK_COLUMN_VIEW (cc_test_ui_find (window, GTK_TYPE_COLUMN_VIEW, NULL, NULL));
  GtkSelectionModel *model = gtk_column_view_get_model (view);

  return gtk_single_selection_get_selected (GTK_SINGLE_SELECTION (model));
}

/* Focus comes into the third row by Tab: that row is the selected one,
 * and Ctrl+E and Ctrl+Enter act on it, not on the first. */
static void
test_shortcuts_follow_focus (void)
{
  CcTestUiWorld world;
  CcWorkflow *ingress, *optinout;
  CcActionsCell *actions;
  g_autoptr(GError) error = NULL;
  GtkWidget *window, *toggle;
  FocusWait wait;

  cc_test_ui_world_init (&world, TRUE);
  window = GTK_WIDGET (cc_test_ui_world_open (&world));
  g_assert_true (cc_test_wait_until (cc_test_cells_rows_shown, window, TIMEOUT));
  cc_test_input_focus_window (GTK_WINDOW (window));
  ingress = cc_engine_find_workflow (world.engine, "ingress");
  optinout = cc_engine_find_workflow (world.engine, "optinout");
  g_assert_true (cc_workflow_start (ingress, &error));
  g_assert_true (cc_workflow_start (optinout, &error));
  g_assert_no_error (error);
  g_assert_true (cc_test_ui_wait_status (ingress, CC_WORKFLOW_RUNNING, TIMEOUT));
  g_assert_true (cc_test_ui_wait_status (optinout, CC_WORKFLOW_RUNNING, TIMEOUT));
  g_assert_cmpuint (selected_position (window), ==, 0);

  /* Tab through the window until the third row's Stop button has the
   * focus, as a keyboard user gets there. */
  actions = cc_test_cells_find_actions (window, "optinout");
  toggle = GTK_WIDGET (cc_actions_cell_get_toggle_button (actions));
  wait = (FocusWait) { GTK_WINDOW (window), toggle };
  for (guint presses = 0; !has_focus (&wait); presses++)
    {
      g_assert_cmpuint (presses, <, 30);
      tab_once (GTK_WINDOW (window));
    }
  g_assert_cmpuint (selected_position (window), ==, 2);

  /* Ctrl+E edits Opt-in/Opt-out. */
  cc_test_input_press_keys ("ctrl+e");
  g_assert_true (cc_test_wait_until (editor_shown, GSIZE_TO_POINTER (CC_TYPE_OPTINOUT_DIALOG),
                                     TIMEOUT));
  g_assert_null (cc_test_ui_find_window (CC_TYPE_INGRESS_DIALOG));
  gtk_window_destroy (cc_test_ui_find_window (CC_TYPE_OPTINOUT_DIALOG));

  /* Back on the Stop button, Ctrl+Enter stops Opt-in/Opt-out only. */
  cc_test_input_focus_window (GTK_WINDOW (window));
  gtk_widget_grab_focus (toggle);
  g_assert_true (cc_test_wait_until (has_focus, &wait, TIMEOUT));
  cc_test_input_press_keys ("ctrl+Return");
  g_assert_true (cc_test_ui_wait_status (optinout, CC_WORKFLOW_STOPPED, TIMEOUT));
  g_assert_cmpint (cc_workflow_get_status (ingress), ==, CC_WORKFLOW_RUNNING);

  cc_test_ui_world_clear (&world);
}

int
main (int argc, char **argv)
{
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  g_test_add_func ("/ui/keyboard/shortcuts-follow-focus", test_shortcuts_follow_focus);
  return g_test_run ();
}
