/* test-setup.c — the setup check and "Prepare Dynamics 365" in the
 * window, against a sandbox that lacks the activity tables and a custom
 * filter: the check dialog lists exactly those as missing, with what to
 * do; the prepare dialog shows its plan, applies it when asked, and the
 * check then finds only the filter missing (from the connections dialog
 * and from a workflow's details alike). With a screenshot of each.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "cc-check-dialog.h"
#include "cc-connections-dialog.h"
#include "cc-prepare-dialog.h"
#include "cc-test-admin.h"
#include "cc-test-ui.h"
#include "cc-test-util.h"
#include "cc-workflow-details.h"

#define TIMEOUT 60

static gboolean
report_ready (gpointer data)
{
  return cc_check_dialog_get_report (data) != NULL;
}

static gboolean
plan_ready (gpointer data)
{
  return cc_prepare_dialog_get_plan (data) != NULL;
}

static gboolean
plan_applied (gpointer data)
{
  return cc_prepare_dialog_get_plan (data) != NULL && cc_prepare_dialog_is_applied (data);
}

static gboolean
has_name (GtkWidget *widget,
          gpointer   name)
{
  return g_strcmp0 (gtk_widget_get_name (widget), name) == 0;
}

static int
compare_strings (const void *a,
                 const void *b)
{
  return g_strcmp0 (*(const char * const *) a, *(const char * const *) b);
}

/* The ids of the missing items the dialog shows, sorted, and the row of
 * each found under the dialog, its "what to do" shown. */
static char *
shown_missing (CcCheckDialog *dialog)
{
  GPtrArray *items = cc_check_report_get_items (cc_check_dialog_get_report (dialog));
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) ids = NULL;

  for (guint i = 0; i < items->len; i++)
    {
      const CcCheckItem *item = g_ptr_array_index (items, i);
      GtkWidget *row;

      if (item->state != CC_CHECK_MISSING)
        continue;
      row = cc_test_ui_find (GTK_WIDGET (dialog), ADW_TYPE_ACTION_ROW, has_name, item->id);
      g_assert_nonnull (row);
      g_assert_true (gtk_widget_is_visible (row));
      g_assert_nonnull (strstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)), item->what_to_do));
      g_strv_builder_add (builder, item->id);
    }
  ids = g_strv_builder_end (builder);
  qsort (ids, g_strv_length (ids), sizeof (char *), compare_strings);
  return g_strjoinv (" ", ids);
}

static CcCheckDialog *
open_check (GtkWidget  *over,
            const char *action)
{
  CcCheckDialog *dialog;

  g_assert_true (gtk_widget_activate_action (over, action, NULL));
  dialog = CC_CHECK_DIALOG (cc_test_ui_find_window (CC_TYPE_CHECK_DIALOG));
  g_assert_nonnull (dialog);
  g_assert_true (cc_test_ui_wait_mapped (GTK_WIDGET (dialog), TIMEOUT));
  g_assert_true (cc_test_wait_until (report_ready, dialog, TIMEOUT));
  return dialog;
}

static void
test_check_prepare_check (void)
{
  CcTestUiWorld world;
  CcConnectionsDialog *connections;
  CcCheckDialog *check;
  CcPrepareDialog *prepare;
  CcWorkflowDetails *details;
  CcPreparePlan *plan;
  g_autofree char *missing = NULL;
  g_autofree char *png = NULL;

  cc_test_ui_world_init (&world, TRUE);
  cc_test_admin_drop (cc_sandbox_get_dataverse_url (world.sandbox), "POST", "/_sandbox/setup",
                      "{\"remove\": [\"activity-tables\"]}", 200);
  cc_test_admin_drop (cc_sandbox_get_campaign_url (world.sandbox), "POST", "/_sandbox/setup",
                      "{\"remove\": [\"filter:profile.byLastModifiedSince\"]}", 200);
  cc_test_ui_world_open (&world);
  connections = CC_CONNECTIONS_DIALOG (cc_window_open_connections (world.window));
  g_assert_true (cc_test_ui_wait_mapped (GTK_WIDGET (connections), TIMEOUT));

  check = open_check (GTK_WIDGET (connections), "connections.check-setup");
  missing = shown_missing (check);
  g_assert_cmpstr (missing, ==, "campaign.filter.profileAndServicesExt/profile.byLastModifiedSince "
                                "dynamics.table.new_emailbounce dynamics.table.new_emailclick "
                                "dynamics.table.new_emailopen dynamics.table.new_emailsend");
  png = cc_test_ui_save_png (GTK_WIDGET (check), "setup-check-dialog");
  g_clear_pointer (&png, g_free);

  /* The plan, shown and not applied until Prepare is pressed. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (connections), "connections.prepare-dynamics", NULL));
  prepare = CC_PREPARE_DIALOG (cc_test_ui_find_window (CC_TYPE_PREPARE_DIALOG));
  g_assert_true (cc_test_ui_wait_mapped (GTK_WIDGET (prepare), TIMEOUT));
  g_assert_true (cc_test_wait_until (plan_ready, prepare, TIMEOUT));
  g_assert_false (cc_prepare_dialog_is_applied (prepare));
  g_assert_cmpuint (cc_prepare_dialog_get_plan (prepare)->steps->len, >, 4);
  png = cc_test_ui_save_png (GTK_WIDGET (prepare), "prepare-dialog-plan");
  g_clear_pointer (&png, g_free);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (prepare), "prepare.apply", NULL));
  g_assert_true (cc_test_wait_until (plan_applied, prepare, TIMEOUT));
  plan = cc_prepare_dialog_get_plan (prepare);
  for (guint i = 0; i < plan->steps->len; i++)
    g_assert_cmpint (cc_prepare_step_get_state (g_ptr_array_index (plan->steps, i)), ==, CC_PREPARE_DONE);
  png = cc_test_ui_save_png (GTK_WIDGET (prepare), "prepare-dialog-done");
  g_clear_pointer (&png, g_free);
  gtk_window_destroy (GTK_WINDOW (prepare));

  /* Checked again: only what Campaign must be set up for remains. */
  cc_check_dialog_run (check);
  g_assert_true (cc_test_wait_until (report_ready, check, TIMEOUT));
  g_clear_pointer (&missing, g_free);
  missing = shown_missing (check);
  g_assert_cmpstr (missing, ==, "campaign.filter.profileAndServicesExt/profile.byLastModifiedSince");
  gtk_window_destroy (GTK_WINDOW (check));
  gtk_window_destroy (GTK_WINDOW (connections));

  /* From a workflow's details: that workflow's items only. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (world.window), "win.details", "s", "egress"));
  details = CC_WORKFLOW_DETAILS (cc_test_ui_find_window (CC_TYPE_WORKFLOW_DETAILS));
  g_assert_true (cc_test_ui_wait_mapped (GTK_WIDGET (details), TIMEOUT));
  check = open_check (GTK_WIDGET (details), "details.check-setup");
  g_clear_pointer (&missing, g_free);
  missing = shown_missing (check);
  g_assert_cmpstr (missing, ==, "");
  g_assert_nonnull (cc_check_report_find (cc_check_dialog_get_report (check), "campaign.journal"));
  g_assert_null (cc_check_report_find (cc_check_dialog_get_report (check),
                                       "campaign.filter.profileAndServicesExt/profile.byLastModifiedSince"));
  cc_test_ui_world_clear (&world);
}

int
main (int   argc,
      char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  g_test_add_func ("/ui/setup/check-prepare-check", test_check_prepare_check);
  return g_test_run ();
}
