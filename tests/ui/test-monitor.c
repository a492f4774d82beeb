/* test-monitor.c — what the window shows of a workflow at work, in one
 * language per run (tests/ui/meson.build: en, de, ja, with pictures of
 * each in the test artifacts):
 *
 *  - the activity graph shows what the engine sampled before the details
 *    were opened, on a time axis of clock times, for the last hour and
 *    for the last day;
 *  - a running workflow whose every record is refused says so beside
 *    Running, and its Failed count opens the error log;
 *  - an error log of thousands of entries, grouped by reason with counts,
 *    searched, narrowed to a reason and to a record, exported as CSV and
 *    retried a reason at a time, as a user does it in the window.
 */
#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>
#include <string.h>

#include "cc-activity-graph.h"
#include "cc-error-item.h"
#include "cc-error-log.h"
#include "cc-error-row.h"
#include "cc-failed-cell.h"
#include "cc-test-admin.h"
#include "cc-test-cells.h"
#include "cc-test-ui.h"
#include "cc-test-util.h"
#include "cc-workflow-details.h"

#define TIMEOUT 60

static const char *lang;

static void
save (GtkWidget  *widget,
      const char *what)
{
  g_autofree char *name = g_strdup_printf ("monitor-%s-%s", what, lang);
  g_autofree char *png = cc_test_ui_save_png (widget, name);

  g_assert_true (g_file_test (png, G_FILE_TEST_IS_REGULAR));
}

/* The engine has sampled @workflow writing (a rate above 0) and the
 * backlog it drained. */
static gboolean
activity_seen (gpointer workflow)
{
  g_autoptr(GArray) samples = cc_activity_get_samples (cc_workflow_get_activity (workflow),
                                                       CC_ACTIVITY_HOUR, g_get_real_time ());
  gboolean wrote = FALSE;

  for (guint i = 0; i < samples->len; i++)
    wrote |= g_array_index (samples, CcActivitySample, i).records_per_second > 0;
  return wrote && cc_workflow_get_backlog (workflow) == 0;
}

static gboolean
is_toggle_labelled (GtkWidget *widget,
                    gpointer   user_data)
{
  return g_strcmp0 (gtk_button_get_label (GTK_BUTTON (widget)), user_data) == 0;
}

/* Every label "HH:MM", its minutes a multiple of @minutes and, when
 * @minutes is a number of hours, its hours too. */
static void
assert_clock_labels (GStrv labels,
                     guint minutes)
{
  for (guint i = 0; labels[i] != NULL; i++)
    {
      guint hour, minute;

      g_assert_cmpuint (strlen (labels[i]), ==, 5);
      g_assert_cmpint (sscanf (labels[i], "%2u:%2u", &hour, &minute), ==, 2);
      g_assert_cmpuint ((hour * 60 + minute) % minutes, ==, 0);
    }
}

static void
test_activity_graph (void)
{
  CcTestUiWorld world;
  CcWorkflow *ingress;
  GtkWindow *details;
  CcActivityGraph *graph;
  GtkWidget *day;
  g_auto(GStrv) labels = NULL;
  g_autoptr(GError) error = NULL;

  /* Ingress runs with no details window open. */
  cc_test_ui_world_init (&world, TRUE);
  cc_test_ui_world_open (&world);
  ingress = cc_engine_find_workflow (world.engine, "ingress");
  g_assert_true (cc_workflow_start (ingress, &error));
  g_assert_no_error (error);
  g_assert_true (cc_test_wait_until (activity_seen, ingress, TIMEOUT));

  /* Opened afterwards, the graph shows it at once. */
  details = cc_window_open_details (world.window, "ingress");
  g_assert_true (cc_test_ui_wait_mapped (GTK_WIDGET (details), TIMEOUT));
  graph = CC_ACTIVITY_GRAPH (cc_test_ui_find (GTK_WIDGET (details), CC_TYPE_ACTIVITY_GRAPH,
                                              NULL, NULL));
  g_assert_cmpint (cc_activity_graph_get_span (graph), ==, CC_ACTIVITY_HOUR);
  g_assert_cmpuint (cc_activity_graph_get_n_samples (graph), >=, 2);

  /* The hour: marked every ten minutes of the clock. */
  labels = cc_activity_graph_dup_time_labels (graph);
  g_assert_cmpuint (g_strv_length (labels), >=, 6);
  g_assert_cmpuint (g_strv_length (labels), <=, 7);
  assert_clock_labels (labels, 10);
  save (GTK_WIDGET (details), "activity-hour");
  g_clear_pointer (&labels, g_strfreev);

  /* The day, chosen as a user does: every three hours. */
  day = cc_test_ui_find (GTK_WIDGET (details), GTK_TYPE_TOGGLE_BUTTON, is_toggle_labelled,
                         (gpointer) _("Last _24 Hours"));
  g_assert_nonnull (day);
  cc_test_ui_click (day);
  g_assert_cmpint (cc_activity_graph_get_span (graph), ==, CC_ACTIVITY_DAY);
  g_assert_cmpuint (cc_activity_graph_get_n_samples (graph), >=, 1);
  labels = cc_activity_graph_dup_time_labels (graph);
  g_assert_cmpuint (g_strv_length (labels), >=, 8);
  g_assert_cmpuint (g_strv_length (labels), <=, 9);
  assert_clock_labels (labels, 180);
  save (GTK_WIDGET (details), "activity-day");

  cc_workflow_stop (ingress);
  g_assert_true (cc_test_ui_wait_status (ingress, CC_WORKFLOW_STOPPED, TIMEOUT));
  cc_test_ui_world_clear (&world);
}

/* ---- failures in view ---------------------------------------------- */

/* What Campaign answers for a profile whose email is no address. */
#define NOT_AN_ADDRESS "not an address"

/* A CcTestUiMatch for GtkLabels: shown, and @user_data in the text. */
static gboolean
label_shows (GtkWidget *widget,
             gpointer   user_data)
{
  return gtk_widget_is_drawable (widget)
         && strstr (gtk_label_get_label (GTK_LABEL (widget)), user_data) != NULL;
}

/* A CcTestUiMatch for GtkImages: shown, of the icon @user_data. */
static gboolean
image_shows (GtkWidget *widget,
             gpointer   user_data)
{
  return gtk_widget_is_drawable (widget)
         && g_strcmp0 (gtk_image_get_icon_name (GTK_IMAGE (widget)), user_data) == 0;
}

/* A CcTestUiMatch for actionable widgets: of the action @user_data. */
static gboolean
has_action (GtkWidget *widget,
            gpointer   user_data)
{
  return GTK_IS_ACTIONABLE (widget)
         && g_strcmp0 (gtk_actionable_get_action_name (GTK_ACTIONABLE (widget)), user_data) == 0;
}

/* @n as the user's locale writes it. */
static char *
count_text (guint n)
{
  return g_strdup_printf ("%'u", n);
}

typedef struct
{
  CcWorkflow *workflow;
  guint       n;
} RefusedWait;

/* All @n records the workflow read were refused: its error log holds
 * them and nothing waits to be written. */
static gboolean
all_refused (gpointer user_data)
{
  RefusedWait *wait = user_data;

  return cc_workflow_get_error_count (wait->workflow) == wait->n
         && cc_workflow_get_failed (wait->workflow) == wait->n
         && cc_workflow_get_backlog (wait->workflow) == 0;
}

static gboolean
has_warning (gpointer cell)
{
  return gtk_widget_has_css_class (cell, "warning");
}

static gboolean
is_mapped (gpointer widget)
{
  return gtk_widget_get_mapped (widget);
}

/* The rows of the groups view (one a reason), in order. */
static GPtrArray *
find_groups (CcErrorLog *log)
{
  GPtrArray *rows = g_ptr_array_new ();

  cc_test_ui_find_all (GTK_WIDGET (log), ADW_TYPE_ACTION_ROW, rows);
  return rows;
}

/* Every record that ingress reads is refused: the row says Running,
 * with a warning sign, in the warning colour and the reason as tooltip;
 * the Failed count is a button that opens the error log, on its reasons. */
static void
test_failures_in_view (void)
{
  CcTestUiWorld world;
  CcSandboxOptions sandbox;
  CcWorkflow *ingress;
  GtkWidget *status, *failed, *button, *group;
  CcWorkflowDetails *details;
  CcErrorLog *log;
  RefusedWait wait;
  g_autofree char *n_text = NULL;
  g_autofree char *reason = NULL;
  g_autoptr(GPtrArray) groups = NULL;
  const char *tooltip;

  cc_sandbox_options_init (&sandbox);
  cc_test_ui_world_init (&world, TRUE);
  cc_test_admin_set_emails (cc_sandbox_get_dataverse_url (world.sandbox), 0, sandbox.contacts,
                            NOT_AN_ADDRESS);
  cc_test_ui_world_open (&world);
  g_assert_true (cc_test_wait_until (cc_test_cells_rows_shown, world.window, TIMEOUT));
  ingress = cc_engine_find_workflow (world.engine, "ingress");
  failed = cc_test_cells_find (GTK_WIDGET (world.window), CC_TYPE_FAILED_CELL, "ingress");
  button = GTK_WIDGET (cc_failed_cell_get_button (CC_FAILED_CELL (failed)));
  g_assert_false (gtk_widget_get_mapped (button));

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (world.window), "win.start", "s", "ingress"));
  wait = (RefusedWait) { ingress, sandbox.contacts };
  g_assert_true (cc_test_wait_until (all_refused, &wait, TIMEOUT));
  g_assert_cmpint (cc_workflow_get_status (ingress), ==, CC_WORKFLOW_RUNNING);

  /* Still Running, not a status of its own, but a warning beside it. */
  status = GTK_WIDGET (cc_test_cells_find_status (GTK_WIDGET (world.window), "ingress"));
  g_assert_true (cc_test_wait_until (has_warning, status, TIMEOUT));
  g_assert_false (gtk_widget_has_css_class (status, "success"));
  g_assert_nonnull (cc_test_ui_find (status, GTK_TYPE_LABEL, label_shows,
                                     (gpointer) cc_workflow_status_to_label (CC_WORKFLOW_RUNNING)));
  g_assert_nonnull (cc_test_ui_find (status, GTK_TYPE_IMAGE, image_shows,
                                     (gpointer) "dialog-warning-symbolic"));
  n_text = count_text (sandbox.contacts);
  tooltip = gtk_widget_get_tooltip_text (status);
  g_assert_nonnull (tooltip);
  g_assert_nonnull (strstr (tooltip, n_text));

  /* The Failed count: a button, in the warning colour, that says where
   * it leads. */
  g_assert_true (cc_test_wait_until (is_mapped, button, TIMEOUT));
  g_assert_true (gtk_widget_has_css_class (button, "warning"));
  g_assert_nonnull (cc_test_ui_find (button, GTK_TYPE_LABEL, label_shows, n_text));
  g_assert_cmpstr (gtk_widget_get_tooltip_text (button), ==, _("Show the Error Log"));
  save (GTK_WIDGET (world.window), "failures");

  /* One click: the error log of ingress, its one reason with its count. */
  cc_test_ui_click (button);
  details = CC_WORKFLOW_DETAILS (cc_test_ui_find_window (CC_TYPE_WORKFLOW_DETAILS));
  g_assert_nonnull (details);
  g_assert_true (cc_workflow_details_get_workflow (details) == ingress);
  log = cc_workflow_details_get_error_log (details);
  g_assert_true (cc_test_wait_until (is_mapped, log, TIMEOUT));
  g_assert_cmpstr (cc_error_log_get_view (log), ==, "groups");
  groups = find_groups (log);
  g_assert_cmpuint (groups->len, ==, 1);
  group = g_ptr_array_index (groups, 0);
  reason = g_strdup_printf ("The value '%s' of the 'email' property is not valid: "
                            "it is not a valid email address", NOT_AN_ADDRESS);
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (group)), ==, reason);
  g_assert_nonnull (strstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (group)), n_text));
  save (GTK_WIDGET (details), "failures-error-log");

  cc_workflow_stop (ingress);
  g_assert_true (cc_test_ui_wait_status (ingress, CC_WORKFLOW_STOPPED, TIMEOUT));
  cc_test_ui_world_clear (&world);
}

/* ---- an error log of thousands -------------------------------------- */

#define NO_CONTACT "The contact with the ID that the event refers to does not exist"
#define TOO_LONG "The length of the 'subject' attribute of the 'email' entity exceeded the maximum allowed length of '200'"
#define NO_PRIVILEGE "The application user is missing the prvCreateEmail privilege"
#define N_ENTRIES 3000

/* The entries the log's filter matches: @n of them. */
typedef struct
{
  CcErrorLog *log;
  guint       n;
} EntriesWait;

static gboolean
entries_match (gpointer user_data)
{
  EntriesWait *wait = user_data;

  return g_list_model_get_n_items (cc_error_log_get_entries (wait->log)) == wait->n;
}

static gboolean
groups_shown (gpointer user_data)
{
  EntriesWait *wait = user_data;

  return cc_error_log_get_n_groups (wait->log) == wait->n
         && g_strcmp0 (cc_error_log_get_view (wait->log), "groups") == 0;
}

typedef struct
{
  CcErrorLog *log;
  GtkWidget  *chooser;
} ExportWait;

/* The chooser has answered (it checks the file first, so later than the
 * click) and the export it started has ended. */
static gboolean
export_done (gpointer user_data)
{
  ExportWait *wait = user_data;

  return (wait->chooser == NULL || !gtk_widget_get_visible (wait->chooser))
         && !cc_error_log_is_exporting (wait->log);
}

static gboolean
error_row_shown (gpointer log)
{
  GtkWidget *row = cc_test_ui_find (log, CC_TYPE_ERROR_ROW, NULL, NULL);

  return row != NULL && gtk_widget_get_mapped (row);
}

/* The groups shown: @reasons with @counts, in this order. */
static void
assert_groups (CcErrorLog         *log,
               const char * const *reasons,
               const guint        *counts,
               guint               n)
{
  g_autoptr(GPtrArray) groups = find_groups (log);

  g_assert_cmpuint (groups->len, ==, n);
  for (guint i = 0; i < n; i++)
    {
      AdwActionRow *row = g_ptr_array_index (groups, i);
      g_autofree char *count = count_text (counts[i]);

      g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), ==, reasons[i]);
      g_assert_nonnull (strstr (adw_action_row_get_subtitle (row), count));
    }
}

/* The button labelled @label in the group row of @reason. */
static GtkWidget *
group_button (CcErrorLog *log,
              const char *reason,
              const char *label)
{
  g_autoptr(GPtrArray) groups = find_groups (log);

  for (guint i = 0; i < groups->len; i++)
    {
      GtkWidget *row = g_ptr_array_index (groups, i);

      if (g_str_equal (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), reason))
        return cc_test_ui_find (row, GTK_TYPE_BUTTON, cc_test_ui_button_has_label,
                                (gpointer) label);
    }
  return NULL;
}

typedef struct
{
  GtkFileChooser *chooser;
  GFile          *file;
} ChooserWait;

static gboolean
chooser_on (gpointer user_data)
{
  ChooserWait *wait = user_data;
  g_autoptr(GFile) chosen = NULL;

  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  chosen = gtk_file_chooser_get_file (wait->chooser);
  G_GNUC_END_IGNORE_DEPRECATIONS
  return chosen != NULL && g_file_equal (chosen, wait->file);
}

/* Clicks Export…, chooses @path in the file chooser and waits for the
 * export; returns the CSV's lines (the last line break dropped). */
static GStrv
export_as_user (CcErrorLog *log,
                const char *path)
{
  GtkWidget *export = cc_test_ui_find (GTK_WIDGET (log), GTK_TYPE_BUTTON, has_action,
                                       (gpointer) "errorlog.export");
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GFile) folder = g_file_get_parent (file);
  g_autofree char *name = g_file_get_basename (file);
  g_autofree char *text = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *suggested = g_strdup_printf (_("%s-errors.csv"), "egress");
  GtkWindow *chooser;
  ChooserWait wait;
  ExportWait done;

  g_assert_nonnull (export);
  cc_test_ui_click (export);
  /* GtkFileChooserNative with no portal: GTK's own dialog. */
  chooser = cc_test_ui_find_window (GTK_TYPE_FILE_CHOOSER_DIALOG);
  g_assert_nonnull (chooser);
  g_assert_true (cc_test_ui_wait_mapped (GTK_WIDGET (chooser), TIMEOUT));
  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  g_assert_cmpstr (gtk_file_chooser_get_current_name (GTK_FILE_CHOOSER (chooser)), ==,
                   suggested);
  g_assert_true (gtk_file_chooser_set_current_folder (GTK_FILE_CHOOSER (chooser), folder, &error));
  g_assert_no_error (error);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), name);
  /* The chooser goes to a folder as it has read it. */
  wait = (ChooserWait) { GTK_FILE_CHOOSER (chooser), file };
  g_assert_true (cc_test_wait_until (chooser_on, &wait, TIMEOUT));
  gtk_dialog_response (GTK_DIALOG (chooser), GTK_RESPONSE_ACCEPT);
  G_GNUC_END_IGNORE_DEPRECATIONS
  done = (ExportWait) { log, GTK_WIDGET (chooser) };
  g_object_add_weak_pointer (G_OBJECT (chooser), (gpointer *) &done.chooser);
  g_assert_true (cc_test_wait_until (export_done, &done, TIMEOUT));
  g_clear_weak_pointer (&done.chooser);

  g_assert_true (g_file_get_contents (path, &text, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (g_str_has_suffix (text, "\r\n"));
  text[strlen (text) - 2] = '\0';
  return g_strsplit (text, "\r\n", -1);
}

static void
test_error_log_of_thousands (void)
{
  /* 1,500, 1,000 and 500 entries. */
  static const char * const put[] = { NO_CONTACT, NO_CONTACT, TOO_LONG, NO_CONTACT, TOO_LONG,
                                      NO_PRIVILEGE, NULL };
  static const char * const all[] = { NO_CONTACT, TOO_LONG, NO_PRIVILEGE };
  static const guint all_counts[] = { 1500, 1000, 500 };
  static const char * const retried[] = { NO_CONTACT, NO_PRIVILEGE };
  static const guint retried_counts[] = { 1500, 500 };
  CcTestUiWorld world;
  CcWorkflowDetails *details;
  CcErrorLog *log;
  CcStore *store;
  GtkWidget *search, *record_button, *reason_chip, *record_chip;
  EntriesWait wait;
  g_autofree char *total = count_text (N_ENTRIES);
  g_autofree char *five_hundred = count_text (500);
  g_autofree char *csv = NULL;
  g_autofree char *key = NULL;
  g_autoptr(GVariant) target = NULL;
  g_auto(GStrv) lines = NULL;
  guint64 backlog;

  cc_test_ui_world_init (&world, TRUE);
  cc_test_ui_put_reasons_in_error_log (world.engine, "egress", N_ENTRIES, put);
  store = cc_engine_get_store (world.engine);
  backlog = cc_store_count_backlog (store, "egress", NULL);
  cc_test_ui_world_open (&world);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (world.window), "win.errors", "s", "egress"));
  details = CC_WORKFLOW_DETAILS (cc_test_ui_find_window (CC_TYPE_WORKFLOW_DETAILS));
  g_assert_nonnull (details);
  gtk_window_set_default_size (GTK_WINDOW (details), 900, 700);
  log = cc_workflow_details_get_error_log (details);
  g_assert_true (cc_test_wait_until (is_mapped, log, TIMEOUT));

  /* By reason, the largest first, with how many of each; all counted. */
  assert_groups (log, all, all_counts, G_N_ELEMENTS (all));
  g_assert_nonnull (cc_test_ui_find (GTK_WIDGET (log), GTK_TYPE_LABEL, label_shows, total));
  save (GTK_WIDGET (details), "error-log-groups");

  /* Searched: only the reason that speaks of a privilege, and the count
   * says how many of how many. */
  search = cc_test_ui_find (GTK_WIDGET (log), GTK_TYPE_SEARCH_ENTRY, NULL, NULL);
  g_assert_nonnull (search);
  gtk_editable_set_text (GTK_EDITABLE (search), "privilege");
  wait = (EntriesWait) { log, 1 };
  g_assert_true (cc_test_wait_until (groups_shown, &wait, TIMEOUT));
  assert_groups (log, &all[2], &all_counts[2], 1);
  g_assert_nonnull (cc_test_ui_find (GTK_WIDGET (log), GTK_TYPE_LABEL, label_shows, five_hundred));
  g_assert_nonnull (cc_test_ui_find (GTK_WIDGET (log), GTK_TYPE_LABEL, label_shows, total));
  save (GTK_WIDGET (details), "error-log-search");
  gtk_editable_set_text (GTK_EDITABLE (search), "");
  wait = (EntriesWait) { log, G_N_ELEMENTS (all) };
  g_assert_true (cc_test_wait_until (groups_shown, &wait, TIMEOUT));

  /* One reason's records, and the filter that says so. */
  cc_test_ui_click (group_button (log, TOO_LONG, _("Show _Records")));
  g_assert_cmpstr (cc_error_log_get_view (log), ==, "records");
  wait = (EntriesWait) { log, 1000 };
  g_assert_true (cc_test_wait_until (entries_match, &wait, TIMEOUT));
  reason_chip = cc_test_ui_find (GTK_WIDGET (log), GTK_TYPE_BUTTON, has_action,
                                 (gpointer) "errorlog.clear-reason");
  g_assert_true (cc_test_wait_until (is_mapped, reason_chip, TIMEOUT));
  g_assert_nonnull (cc_test_ui_find (GTK_WIDGET (log), GTK_TYPE_LABEL, label_shows,
                                     (gpointer) TOO_LONG));
  g_assert_true (cc_test_wait_until (error_row_shown, log, TIMEOUT));
  save (GTK_WIDGET (details), "error-log-reason");

  /* Exported: that reason's records, each a line of the CSV. */
  csv = g_build_filename (world.dir, "too-long.csv", NULL);
  lines = export_as_user (log, csv);
  g_assert_cmpuint (g_strv_length (lines), ==, 1000 + 1);
  g_assert_true (g_str_has_prefix (lines[0], "id,failed_at,mapping,record,operation"));
  for (guint i = 1; lines[i] != NULL; i++)
    g_assert_nonnull (strstr (lines[i], "," TOO_LONG ","));

  /* One record: the first row's own filter. */
  record_button = cc_test_ui_find (GTK_WIDGET (log), GTK_TYPE_BUTTON, has_action,
                                   (gpointer) "errorlog.show-record");
  g_assert_nonnull (record_button);
  target = g_variant_ref (gtk_actionable_get_action_target_value (GTK_ACTIONABLE (record_button)));
  key = g_variant_dup_string (target, NULL);
  g_assert_true (g_str_has_prefix (key, "event-"));
  cc_test_ui_click (record_button);
  wait = (EntriesWait) { log, 1 };
  g_assert_true (cc_test_wait_until (entries_match, &wait, TIMEOUT));
  {
    g_autoptr(CcErrorItem) item = g_list_model_get_item (cc_error_log_get_entries (log), 0);

    g_assert_cmpstr (cc_error_item_get_entry (item)->key, ==, key);
  }
  record_chip = cc_test_ui_find (GTK_WIDGET (log), GTK_TYPE_BUTTON, has_action,
                                 (gpointer) "errorlog.clear-record");
  g_assert_true (cc_test_wait_until (is_mapped, record_chip, TIMEOUT));
  g_assert_nonnull (cc_test_ui_find (GTK_WIDGET (log), GTK_TYPE_LABEL, label_shows, key));

  /* Both filters taken away: every record again. */
  cc_test_ui_click (record_chip);
  cc_test_ui_click (reason_chip);
  wait = (EntriesWait) { log, N_ENTRIES };
  g_assert_true (cc_test_wait_until (entries_match, &wait, TIMEOUT));
  g_assert_false (gtk_widget_get_mapped (reason_chip));

  /* Back to the reasons, and one of them retried: its records wait in
   * the queue again, the others stay in the log. */
  cc_test_ui_click (cc_test_ui_find (GTK_WIDGET (log), GTK_TYPE_TOGGLE_BUTTON,
                                     cc_test_ui_button_has_label, (gpointer) _("By _Reason")));
  wait = (EntriesWait) { log, G_N_ELEMENTS (all) };
  g_assert_true (cc_test_wait_until (groups_shown, &wait, TIMEOUT));
  cc_test_ui_click (group_button (log, TOO_LONG, _("_Retry")));
  assert_groups (log, retried, retried_counts, G_N_ELEMENTS (retried));
  g_assert_cmpuint (cc_store_count_errors (store, "egress", NULL), ==, N_ENTRIES - 1000);
  g_assert_cmpuint (cc_store_count_backlog (store, "egress", NULL), ==, backlog + 1000);
  save (GTK_WIDGET (details), "error-log-retried");

  cc_test_ui_world_clear (&world);
}

int
main (int argc, char **argv)
{
  const char *localedir = g_getenv ("CC_LOCALEDIR");

  lang = g_getenv ("CC_TEST_LANG");
  if (lang == NULL || localedir == NULL)
    g_error ("CC_TEST_LANG and CC_LOCALEDIR must be set");

  /* As src/ui/main.c does, with the build's catalogs; the language comes
   * from LANG (tests/ui/meson.build unsets LC_ALL). */
  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, localedir);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  gtk_test_init (&argc, &argv, NULL);
  /* gtk_test_init() sets the C locale again for reproducible tests. */
  setlocale (LC_ALL, "");
  adw_init ();

  g_test_add_func ("/ui/monitor/activity-graph", test_activity_graph);
  g_test_add_func ("/ui/monitor/failures-in-view", test_failures_in_view);
  g_test_add_func ("/ui/monitor/error-log-of-thousands", test_error_log_of_thousands);
  return g_test_run ();
}
