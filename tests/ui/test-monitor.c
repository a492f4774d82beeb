/* test-monitor.c — what the window shows of a workflow at work, in one
 * language per run (tests/ui/meson.build: en, de, ja, with pictures of
 * each in the test artifacts):
 *
 *  - the activity graph shows what the engine sampled before the details
 *    were opened, on a time axis of clock times, for the last hour and
 *    for the last day.
 */
#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>

#include "cc-activity-graph.h"
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
  return g_test_run ();
}
