/* test-questions.c — the window asks before it throws something away:
 * an editor's unsaved changes (Escape, Cancel), the connections typed
 * and not saved. Keys are pressed on the X server (xdotool). */
#include "config.h"

#include <glib/gi18n.h>

#include "cc-connections-dialog.h"
#include "cc-edit-dialog.h"
#include "cc-optinout-dialog.h"
#include "cc-test-cells.h"
#include "cc-test-input.h"
#include "cc-test-ui.h"
#include "cc-test-util.h"

#define TIMEOUT 60

static gboolean
question_shown (gpointer user_data)
{
  GtkWindow *question = cc_test_ui_find_window (ADW_TYPE_MESSAGE_DIALOG);

  return question != NULL && gtk_window_is_active (question);
}

static gboolean
window_gone (gpointer user_data)
{
  return cc_test_ui_find_window (GPOINTER_TO_SIZE (user_data)) == NULL;
}

/* Presses @keys in @window (once it has the keyboard) and returns the
 * question that came up. */
static AdwMessageDialog *
press_for_question (GtkWindow  *window,
                    const char *keys)
{
  cc_test_input_focus_window (window);
  cc_test_input_press_keys (keys);
  g_assert_true (cc_test_wait_until (question_shown, NULL, TIMEOUT));
  return ADW_MESSAGE_DIALOG (cc_test_ui_find_window (ADW_TYPE_MESSAGE_DIALOG));
}

static GtkWindow *
open_optinout_editor (CcTestUiWorld *world)
{
  GtkWindow *dialog;

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (world->window), "win.edit", "s", "optinout"));
  dialog = cc_test_ui_find_window (CC_TYPE_OPTINOUT_DIALOG);
  g_assert_nonnull (dialog);
  g_assert_true (cc_test_ui_wait_mapped (GTK_WIDGET (dialog), TIMEOUT));
  return dialog;
}

static gboolean
is_poll_spin (GtkWidget *widget,
              gpointer   user_data)
{
  return gtk_adjustment_get_upper (gtk_spin_button_get_adjustment (GTK_SPIN_BUTTON (widget))) == 3600;
}

static gint64
poll_interval (CcEngine *engine)
{
  JsonNode *node = cc_workflow_get_config_node (cc_engine_find_workflow (engine, "optinout"));
  JsonObject *config = json_node_get_object (node);

  return json_object_get_int_member_with_default (config, "poll-interval", -1);
}

static void
test_editor_asks_before_discarding (void)
{
  CcTestUiWorld world;
  GtkWindow *dialog;
  GtkSpinButton *poll;
  AdwMessageDialog *question;
  gint64 saved;
  g_autofree char *png = NULL;

  cc_test_ui_world_init (&world, TRUE);
  cc_test_ui_world_open (&world);
  saved = poll_interval (world.engine);

  /* Nothing changed: Escape closes at once. */
  dialog = open_optinout_editor (&world);
  g_assert_false (cc_edit_dialog_has_changes (CC_EDIT_DIALOG (dialog)));
  cc_test_input_focus_window (dialog);
  cc_test_input_press_keys ("Escape");
  g_assert_true (cc_test_wait_until (window_gone, GSIZE_TO_POINTER (CC_TYPE_OPTINOUT_DIALOG), TIMEOUT));
  g_assert_null (cc_test_ui_find_window (ADW_TYPE_MESSAGE_DIALOG));

  /* A change, then Escape: the question, and Keep Editing keeps it. */
  dialog = open_optinout_editor (&world);
  poll = GTK_SPIN_BUTTON (cc_test_ui_find (GTK_WIDGET (dialog), GTK_TYPE_SPIN_BUTTON, is_poll_spin, NULL));
  g_assert_nonnull (poll);
  gtk_spin_button_set_value (poll, gtk_spin_button_get_value (poll) + 5);
  g_assert_true (cc_edit_dialog_has_changes (CC_EDIT_DIALOG (dialog)));
  question = press_for_question (dialog, "Escape");
  g_assert_cmpstr (adw_message_dialog_get_heading (question), ==, _("Discard Changes?"));
  g_assert_nonnull (strstr (adw_message_dialog_get_body (question), "Opt-in/Opt-out"));
  png = cc_test_ui_save_png (GTK_WIDGET (question), "question-discard");
  cc_test_ui_answer (question, "keep");
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (dialog)));
  g_assert_cmpfloat (gtk_spin_button_get_value (poll), ==, saved + 5);

  /* The Cancel button asks too; Discard closes and nothing is saved. */
  cc_test_ui_click (cc_test_ui_find (GTK_WIDGET (dialog), GTK_TYPE_BUTTON, cc_test_ui_button_has_label,
                                     (gpointer) _("_Cancel")));
  g_assert_true (cc_test_wait_until (question_shown, NULL, TIMEOUT));
  question = ADW_MESSAGE_DIALOG (cc_test_ui_find_window (ADW_TYPE_MESSAGE_DIALOG));
  cc_test_ui_answer (question, "discard");
  g_assert_true (cc_test_wait_until (window_gone, GSIZE_TO_POINTER (CC_TYPE_OPTINOUT_DIALOG), TIMEOUT));
  g_assert_cmpint (poll_interval (world.engine), ==, saved);

  cc_test_ui_world_clear (&world);
}

static void
test_connections_ask_before_discarding (void)
{
  CcTestUiWorld world;
  GtkWindow *dialog;
  GtkWidget *row;
  AdwMessageDialog *question;
  g_autoptr(GVariant) before = NULL;
  g_autoptr(GVariant) after = NULL;

  cc_test_ui_world_init (&world, TRUE);
  cc_test_ui_world_open (&world);
  before = cc_engine_get_connection (world.engine, "dynamics", NULL);

  dialog = cc_window_open_connections (world.window);
  g_assert_true (cc_test_ui_wait_mapped (GTK_WIDGET (dialog), TIMEOUT));
  row = cc_connections_dialog_get_row (CC_CONNECTIONS_DIALOG (dialog), "dynamics", "tenant");
  gtk_editable_set_text (GTK_EDITABLE (row), "another-tenant");
  g_assert_true (cc_connections_dialog_has_changes (CC_CONNECTIONS_DIALOG (dialog)));

  question = press_for_question (dialog, "Escape");
  g_assert_nonnull (strstr (adw_message_dialog_get_body (question), _("Connections")));
  cc_test_ui_answer (question, "keep");
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (dialog)));

  question = press_for_question (dialog, "Escape");
  cc_test_ui_answer (question, "discard");
  g_assert_true (cc_test_wait_until (window_gone, GSIZE_TO_POINTER (CC_TYPE_CONNECTIONS_DIALOG), TIMEOUT));
  after = cc_engine_get_connection (world.engine, "dynamics", NULL);
  g_assert_true (g_variant_equal (before, after));

  cc_test_ui_world_clear (&world);
}

int
main (int argc, char **argv)
{
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  g_test_add_func ("/ui/questions/editor-discard", test_editor_asks_before_discarding);
  g_test_add_func ("/ui/questions/connections-discard", test_connections_ask_before_discarding);
  return g_test_run ();
}
