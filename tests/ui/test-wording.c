/* test-wording.c — what the window says is what is true: the secret rows
 * on the sandbox, a refused URL named by its field, the test result where
 * it is seen, no "0 records could not be written", dates with their
 * year, a replay from a date and time, and the details header naming its
 * workflow. */
#include "config.h"

#include <glib/gi18n.h>

#include "cc-connections-dialog.h"
#include "cc-test-ui.h"
#include "cc-test-util.h"
#include "cc-time-label.h"
#include "cc-workflow-details.h"

#define TIMEOUT 60

static CcConnectionsDialog *
open_connections (CcTestUiWorld *world)
{
  GtkWindow *dialog = cc_window_open_connections (world->window);

  g_assert_true (cc_test_ui_wait_mapped (GTK_WIDGET (dialog), TIMEOUT));
  return CC_CONNECTIONS_DIALOG (dialog);
}

static gboolean
has_label_text (GtkWidget *widget,
                gpointer   user_data)
{
  return gtk_widget_get_visible (widget)
         && strstr (gtk_label_get_label (GTK_LABEL (widget)), user_data) != NULL;
}

/* The words beside the secret row: the sandbox keeps its secret for the
 * session, never in the keyring (which its banner says too). */
static void
test_sandbox_secret_words (void)
{
  CcTestUiWorld world;
  CcConnectionsDialog *dialog;
  GtkWidget *row, *label;

  cc_test_ui_world_init (&world, TRUE);
  cc_test_ui_world_open (&world);
  dialog = open_connections (&world);

  row = cc_connections_dialog_get_row (dialog, "dynamics", "secret");
  label = cc_test_ui_find (row, GTK_TYPE_LABEL, has_label_text, (gpointer) _("Set for this session"));
  g_assert_nonnull (label);
  g_assert_null (strstr (gtk_widget_get_tooltip_text (label), "keyring"));
  g_assert_null (cc_test_ui_find (row, GTK_TYPE_LABEL, has_label_text, (gpointer) "keyring"));
  cc_test_ui_world_clear (&world);
}

/* A refused URL is named by the field's title, not by "dynamics.url". */
static void
test_refused_url_names_field (void)
{
  CcTestUiWorld world;
  CcConnectionsDialog *dialog;
  const char *result;

  cc_test_ui_world_init (&world, FALSE);
  cc_test_ui_world_open (&world);
  dialog = open_connections (&world);

  gtk_editable_set_text (GTK_EDITABLE (cc_connections_dialog_get_row (dialog, "dynamics", "url")),
                         "http://contoso.crm.dynamics.com");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "connections.save", "s", "dynamics"));
  result = cc_connections_dialog_get_result (dialog, "dynamics");
  g_test_message ("refused: %s", result);
  g_assert_true (g_str_has_prefix (result, _("Environment URL")));
  g_assert_null (strstr (result, "dynamics.url"));
  g_assert_nonnull (strstr (result, "https://"));
  cc_test_ui_world_clear (&world);
}

static gboolean
campaign_tested (gpointer user_data)
{
  return !cc_connections_dialog_is_testing (user_data, "campaign")
         && *cc_connections_dialog_get_result (user_data, "campaign") != '\0';
}

/* The result of Test Connection is shown where the dialog is looked at:
 * inside the visible part of the page, without scrolling. */
static void
test_result_in_view (void)
{
  CcTestUiWorld world;
  CcConnectionsDialog *dialog;
  GtkWidget *row, *scrolled;
  graphene_rect_t bounds;
  g_autofree char *png = NULL;

  cc_test_ui_world_init (&world, TRUE);
  cc_test_ui_world_open (&world);
  dialog = open_connections (&world);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "connections.test", "s", "campaign"));
  g_assert_true (cc_test_wait_until (campaign_tested, dialog, TIMEOUT));
  row = cc_connections_dialog_get_result_row (dialog, "campaign");
  g_assert_true (cc_test_ui_wait_mapped (row, TIMEOUT));
  scrolled = gtk_widget_get_ancestor (row, GTK_TYPE_SCROLLED_WINDOW);
  g_assert_true (gtk_widget_compute_bounds (row, scrolled, &bounds));
  g_test_message ("result row at y %.0f to %.0f, page %d px high", bounds.origin.y,
                  bounds.origin.y + bounds.size.height, gtk_widget_get_height (scrolled));
  g_assert_cmpfloat (bounds.origin.y, >=, 0);
  g_assert_cmpfloat (bounds.origin.y + bounds.size.height, <=, gtk_widget_get_height (scrolled));

  png = cc_test_ui_save_png (GTK_WIDGET (dialog), "connections-test-result");
  cc_test_ui_world_clear (&world);
}

static gboolean
spin_up_to (GtkWidget *widget,
            gpointer   user_data)
{
  GtkAdjustment *adjustment = gtk_spin_button_get_adjustment (GTK_SPIN_BUTTON (widget));

  return gtk_adjustment_get_upper (adjustment) == GPOINTER_TO_INT (user_data);
}

static gboolean
check_has_label (GtkWidget *widget,
                 gpointer   user_data)
{
  return g_strcmp0 (gtk_check_button_get_label (GTK_CHECK_BUTTON (widget)), user_data) == 0;
}

/* The details: titled with the workflow; an empty error log does not
 * say "0 records could not be written"; history dates carry their
 * year; a replay can start at a time of day. */
static void
test_details_words (void)
{
  CcTestUiWorld world;
  CcWorkflowDetails *details;
  CcWorkflow *optinout;
  AdwWindowTitle *title;
  GtkCalendar *calendar;
  GtkSpinButton *hour, *minute;
  GtkCheckButton *since;
  g_autoptr(GDateTime) local = NULL;
  g_autoptr(GDateTime) utc = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autoptr(GPtrArray) history = NULL;
  g_autofree char *expected = NULL;
  g_autofree char *year = NULL;
  g_autofree char *absolute = NULL;
  const CcHistoryEntry *entry;

  cc_test_ui_world_init (&world, TRUE);
  cc_test_ui_world_open (&world);
  optinout = cc_engine_find_workflow (world.engine, "optinout");
  details = CC_WORKFLOW_DETAILS (cc_window_open_details (world.window, "optinout"));
  g_assert_true (cc_test_ui_wait_mapped (GTK_WIDGET (details), TIMEOUT));

  title = ADW_WINDOW_TITLE (cc_test_ui_find (GTK_WIDGET (details), ADW_TYPE_WINDOW_TITLE, NULL, NULL));
  g_assert_nonnull (title);
  g_assert_cmpstr (adw_window_title_get_title (title), ==, cc_workflow_get_title (optinout));

  cc_workflow_details_show_page (details, "errors");
  g_assert_null (cc_test_ui_find (GTK_WIDGET (details), GTK_TYPE_LABEL, has_label_text,
                                  (gpointer) "0 records"));

  /* Dates: four digits of year, in the history and elsewhere. */
  local = g_date_time_new_local (2031, 3, 4, 5, 6, 7);
  absolute = cc_time_label_format_absolute (g_date_time_to_unix (local) * G_USEC_PER_SEC);
  g_test_message ("a date: %s", absolute);
  g_assert_nonnull (strstr (absolute, "2031"));

  /* Replay since 4 March 2031, 05:06 local. */
  calendar = GTK_CALENDAR (cc_test_ui_find (GTK_WIDGET (details), GTK_TYPE_CALENDAR, NULL, NULL));
  since = GTK_CHECK_BUTTON (cc_test_ui_find (GTK_WIDGET (details), GTK_TYPE_CHECK_BUTTON,
                                             check_has_label,
                                             (gpointer) _("Records changed _since")));
  hour = GTK_SPIN_BUTTON (cc_test_ui_find (GTK_WIDGET (details), GTK_TYPE_SPIN_BUTTON,
                                           spin_up_to, GINT_TO_POINTER (23)));
  minute = GTK_SPIN_BUTTON (cc_test_ui_find (GTK_WIDGET (details), GTK_TYPE_SPIN_BUTTON,
                                             spin_up_to, GINT_TO_POINTER (59)));
  g_assert_nonnull (calendar);
  g_assert_nonnull (since);
  g_assert_nonnull (hour);
  g_assert_nonnull (minute);
  gtk_check_button_set_active (since, TRUE);
  gtk_calendar_select_day (calendar, local);
  gtk_spin_button_set_value (hour, 5);
  gtk_spin_button_set_value (minute, 6);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (details), "details.replay", NULL));

  g_clear_pointer (&local, g_date_time_unref);
  local = g_date_time_new_local (2031, 3, 4, 5, 6, 0);
  utc = g_date_time_to_utc (local);
  expected = g_date_time_format_iso8601 (utc);
  history = cc_workflow_list_history (optinout, 10, NULL);
  g_assert_nonnull (history);
  g_assert_cmpuint (history->len, >=, 1);
  entry = g_ptr_array_index (history, 0);
  g_assert_cmpstr (entry->kind, ==, "replay");
  g_test_message ("replay: %s (expected %s)", entry->message, expected);
  g_assert_nonnull (strstr (entry->message, expected));

  /* And the history page shows it with its year. */
  cc_workflow_details_show_page (details, "history");
  year = g_date_time_format (now, "%Y");
  g_assert_nonnull (cc_test_ui_find (GTK_WIDGET (details), GTK_TYPE_LABEL, has_label_text, year));

  cc_test_ui_world_clear (&world);
}

int
main (int argc, char **argv)
{
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  g_test_add_func ("/ui/wording/sandbox-secret", test_sandbox_secret_words);
  g_test_add_func ("/ui/wording/refused-url", test_refused_url_names_field);
  g_test_add_func ("/ui/wording/result-in-view", test_result_in_view);
  g_test_add_func ("/ui/wording/details", test_details_words);
  return g_test_run ();
}
