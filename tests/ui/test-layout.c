/* test-layout.c — the window at 800×600 and at 1920×1080, in one
 * language per run (tests/ui/meson.build: en, de, ja; LANG, and the
 * build's catalogs), with pictures of each kept in the test artifacts:
 *
 *  - at 800×600 every workflow's name can be read whole (wrapped, or in
 *    its tooltip);
 *  - the columns stay put while a workflow starts, writes (its last
 *    activity changes) and gets pending edits (its Stop button warns);
 *  - at 1920×1080 the numbers stay near the names they count for;
 *  - the opt-in/opt-out editor shows its choices whole, in the row and
 *    in the open list, and its field pairs line up.
 */
#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>

#include "cc-actions-cell.h"
#include "cc-optinout-dialog.h"
#include "cc-pair-row.h"
#include "cc-test-cells.h"
#include "cc-test-ui.h"
#include "cc-test-util.h"
#include "cc-title-cell.h"

#define TIMEOUT 60

static const char *lang;

static void wait_for_layout (GtkWidget *window);

/* The Status column has been made as wide as its words need. */
static gboolean
status_width_set (gpointer window)
{
  GtkColumnView *view = GTK_COLUMN_VIEW (cc_test_ui_find (window, GTK_TYPE_COLUMN_VIEW, NULL, NULL));
  g_autoptr(GtkColumnViewColumn) status = g_list_model_get_item (gtk_column_view_get_columns (view), 1);

  return gtk_column_view_column_get_fixed_width (status) > 0;
}

/* The window at @width × @height (the size it keeps in its settings). */
static CcWindow *
open_sized (CcTestUiWorld *world,
            int            width,
            int            height)
{
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  CcWindow *window;

  g_settings_set_int (settings, "window-width", width);
  g_settings_set_int (settings, "window-height", height);
  window = cc_test_ui_world_open (world);
  g_assert_true (cc_test_wait_until (cc_test_cells_rows_shown, window, TIMEOUT));
  g_assert_true (cc_test_wait_until (status_width_set, window, TIMEOUT));
  wait_for_layout (GTK_WIDGET (window));
  g_assert_cmpint (gdk_surface_get_width (gtk_native_get_surface (GTK_NATIVE (window))), ==, width);
  return window;
}

static void
save (GtkWidget  *widget,
      const char *what)
{
  g_autofree char *name = g_strdup_printf ("layout-%s-%s", what, lang);
  g_autofree char *png = cc_test_ui_save_png (widget, name);

  g_assert_true (g_file_test (png, G_FILE_TEST_IS_REGULAR));
}

/* Frames drawn since the counter started. */
static gboolean
count_frame (GtkWidget     *widget,
             GdkFrameClock *clock,
             gpointer       user_data)
{
  (*(guint *) user_data)++;
  return G_SOURCE_CONTINUE;
}

static gboolean
two_frames (gpointer user_data)
{
  return *(guint *) user_data >= 2;
}

static void
wait_for_layout (GtkWidget *window)
{
  guint frames = 0;
  guint id = gtk_widget_add_tick_callback (window, count_frame, &frames, NULL);

  gtk_widget_queue_resize (window);
  g_assert_true (cc_test_wait_until (two_frames, &frames, TIMEOUT));
  gtk_widget_remove_tick_callback (window, id);
}

/* The left edge of each cell of @id's row, in the column view. */
static GArray *
column_edges (GtkWidget  *window,
              const char *id)
{
  GtkWidget *actions = GTK_WIDGET (cc_test_cells_find_actions (window, id));
  GtkWidget *view = gtk_widget_get_ancestor (actions, GTK_TYPE_COLUMN_VIEW);
  GtkWidget *row = gtk_widget_get_parent (gtk_widget_get_parent (actions));
  GArray *edges = g_array_new (FALSE, FALSE, sizeof (double));

  for (GtkWidget *cell = gtk_widget_get_first_child (row); cell != NULL;
       cell = gtk_widget_get_next_sibling (cell))
    {
      graphene_rect_t bounds;
      double x;

      g_assert_true (gtk_widget_compute_bounds (cell, view, &bounds));
      x = bounds.origin.x;
      g_array_append_val (edges, x);
    }
  g_assert_cmpuint (edges->len, ==, 7);
  return edges;
}

static gboolean
label_is (GtkWidget *widget,
          gpointer   user_data)
{
  return g_strcmp0 (gtk_label_get_label (GTK_LABEL (widget)), user_data) == 0;
}

static gboolean
written_some (gpointer workflow)
{
  return cc_workflow_get_written (workflow) > 0;
}

static gboolean
stop_warns (gpointer actions)
{
  GtkWidget *button = GTK_WIDGET (cc_actions_cell_get_toggle_button (actions));

  return gtk_widget_has_css_class (button, "cc-pending");
}

static void
test_small_window (void)
{
  CcTestUiWorld world;
  GtkWidget *window;
  GListModel *workflows;
  CcWorkflow *ingress;
  g_autoptr(GArray) before = NULL;
  g_autoptr(GArray) after = NULL;
  g_autoptr(GError) error = NULL;
  GtkAdjustment *adjustment;
  GtkWidget *scrolled;

  cc_test_ui_world_init (&world, TRUE);
  window = GTK_WIDGET (open_sized (&world, 800, 600));
  save (window, "800x600");

  /* Every name: whole on screen, or whole in the tooltip of its cell. */
  workflows = cc_engine_get_workflows (world.engine);
  for (guint i = 0; i < g_list_model_get_n_items (workflows); i++)
    {
      g_autoptr(CcWorkflow) workflow = g_list_model_get_item (workflows, i);
      const char *title = cc_workflow_get_title (workflow);
      GtkWidget *label = cc_test_ui_find (window, GTK_TYPE_LABEL, label_is, (gpointer) title);
      GtkWidget *cell;
      gboolean cut;

      g_assert_nonnull (label);
      cut = pango_layout_is_ellipsized (gtk_label_get_layout (GTK_LABEL (label)));
      g_test_message ("%s: “%s” %s", lang, title, cut ? "is cut" : "is whole");
      cell = gtk_widget_get_ancestor (label, CC_TYPE_TITLE_CELL);
      g_assert_nonnull (gtk_widget_get_tooltip_text (cell));
      g_assert_nonnull (strstr (gtk_widget_get_tooltip_text (cell), title));
    }

  /* In English the whole table fits; a longer language may scroll it
   * sideways, but a name is never squeezed below a few words. */
  scrolled = gtk_widget_get_ancestor (GTK_WIDGET (cc_test_cells_find_actions (window, "ingress")),
                                      GTK_TYPE_SCROLLED_WINDOW);
  adjustment = gtk_scrolled_window_get_hadjustment (GTK_SCROLLED_WINDOW (scrolled));
  g_test_message ("%s: table %.0f px wide in %.0f px", lang, gtk_adjustment_get_upper (adjustment),
                  gtk_adjustment_get_page_size (adjustment));
  if (g_str_equal (lang, "en"))
    g_assert_cmpfloat (gtk_adjustment_get_upper (adjustment), <=, gtk_adjustment_get_page_size (adjustment));
  for (guint i = 0; i < g_list_model_get_n_items (workflows); i++)
    {
      g_autoptr(CcWorkflow) workflow = g_list_model_get_item (workflows, i);
      GtkWidget *label = cc_test_ui_find (window, GTK_TYPE_LABEL, label_is,
                                          (gpointer) cc_workflow_get_title (workflow));

      g_assert_cmpint (gtk_widget_get_width (label), >=, 120);
    }

  /* Start, write, get pending edits: the columns do not move. */
  before = column_edges (window, "ingress");
  ingress = cc_engine_find_workflow (world.engine, "ingress");
  g_assert_true (cc_workflow_start (ingress, &error));
  g_assert_no_error (error);
  g_assert_true (cc_test_wait_until (written_some, ingress, TIMEOUT));
  {
    g_autofree char *config = cc_workflow_get_config (ingress);
    g_autoptr(JsonNode) node = json_from_string (config, NULL);

    json_object_set_int_member (json_node_get_object (node), "poll-interval", 42);
    g_assert_true (cc_workflow_set_config_node (ingress, node, &error));
    g_assert_no_error (error);
  }
  g_assert_true (cc_test_wait_until (stop_warns, cc_test_cells_find_actions (window, "ingress"),
                                     TIMEOUT));
  wait_for_layout (window);
  after = column_edges (window, "ingress");
  for (guint i = 0; i < before->len; i++)
    g_test_message ("column %u: %.0f → %.0f px", i, g_array_index (before, double, i),
                    g_array_index (after, double, i));
  for (guint i = 0; i < before->len; i++)
    g_assert_cmpfloat (g_array_index (after, double, i), ==, g_array_index (before, double, i));
  save (window, "800x600-running");

  cc_test_ui_world_clear (&world);
}

/* The right edge of @label's text (not of its allocation). */
static double
text_end (GtkWidget *label,
          GtkWidget *relative_to)
{
  graphene_point_t point;
  int width = 0;
  int x = 0;

  pango_layout_get_pixel_size (gtk_label_get_layout (GTK_LABEL (label)), &width, NULL);
  gtk_label_get_layout_offsets (GTK_LABEL (label), &x, NULL);
  g_assert_true (gtk_widget_compute_point (label, relative_to, &GRAPHENE_POINT_INIT (x + width, 0),
                                           &point));
  return point.x;
}

static double
text_start (GtkWidget *label,
            GtkWidget *relative_to)
{
  graphene_point_t point;
  int x = 0;

  gtk_label_get_layout_offsets (GTK_LABEL (label), &x, NULL);
  g_assert_true (gtk_widget_compute_point (label, relative_to, &GRAPHENE_POINT_INIT (x, 0), &point));
  return point.x;
}

static void
test_large_window (void)
{
  CcTestUiWorld world;
  GtkWidget *window, *title, *actions, *row, *backlog_cell, *backlog;
  CcWorkflow *ingress;
  double gap;

  cc_test_ui_world_init (&world, TRUE);
  window = GTK_WIDGET (open_sized (&world, 1920, 1080));
  save (window, "1920x1080");

  ingress = cc_engine_find_workflow (world.engine, "ingress");
  title = cc_test_ui_find (window, GTK_TYPE_LABEL, label_is, (gpointer) cc_workflow_get_title (ingress));
  actions = GTK_WIDGET (cc_test_cells_find_actions (window, "ingress"));
  row = gtk_widget_get_parent (gtk_widget_get_parent (actions));
  /* Columns: workflow, status, backlog, … */
  backlog_cell = gtk_widget_get_next_sibling (gtk_widget_get_next_sibling (gtk_widget_get_first_child (row)));
  backlog = cc_test_ui_find (backlog_cell, GTK_TYPE_LABEL, NULL, NULL);
  gap = text_start (backlog, window) - text_end (title, window);
  g_test_message ("%s: %.0f px from the name to its backlog", lang, gap);
  g_assert_cmpfloat (gap, >, 0);
  g_assert_cmpfloat (gap, <, 480);

  cc_test_ui_world_clear (&world);
}

static gboolean
not_cut (GtkWidget *widget,
         gpointer   user_data)
{
  return gtk_widget_get_mapped (widget)
         && pango_layout_is_ellipsized (gtk_label_get_layout (GTK_LABEL (widget)));
}

static gboolean
is_combo_row (GtkWidget *widget,
              gpointer   user_data)
{
  return g_strcmp0 (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (widget)), user_data) == 0;
}

static gboolean
popover_shown (gpointer row)
{
  GtkWidget *popover = cc_test_ui_find (row, GTK_TYPE_POPOVER, NULL, NULL);

  return popover != NULL && gtk_widget_get_mapped (popover);
}

static void
test_optinout_editor (void)
{
  CcTestUiWorld world;
  GtkWindow *dialog;
  GtkWidget *direction, *popover;
  g_autoptr(GPtrArray) rows = g_ptr_array_new ();
  GtkWidget *cut;

  cc_test_ui_world_init (&world, TRUE);
  open_sized (&world, 800, 600);
  dialog = cc_window_open_editor (world.window, "optinout");
  gtk_window_set_default_size (dialog, 800, 600);
  g_assert_true (cc_test_ui_wait_mapped (GTK_WIDGET (dialog), TIMEOUT));

  /* A third pair with the longest flag: the pairs still line up. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "optinout.add-pair", NULL));
  cc_test_ui_find_all (GTK_WIDGET (dialog), CC_TYPE_PAIR_ROW, rows);
  g_assert_cmpuint (rows->len, >=, 3);
  cc_pair_row_set_pair (g_ptr_array_index (rows, rows->len - 1), "donotsendmm",
                        "denyListPushnotification");
  wait_for_layout (GTK_WIDGET (dialog));
  for (guint i = 1; i < rows->len; i++)
    {
      GtkWidget *first[] = { cc_pair_row_get_dynamics_widget (g_ptr_array_index (rows, 0)),
                             cc_pair_row_get_campaign_widget (g_ptr_array_index (rows, 0)) };
      GtkWidget *this[] = { cc_pair_row_get_dynamics_widget (g_ptr_array_index (rows, i)),
                            cc_pair_row_get_campaign_widget (g_ptr_array_index (rows, i)) };

      for (guint side = 0; side < 2; side++)
        {
          graphene_rect_t a, b;

          g_assert_true (gtk_widget_compute_bounds (first[side], GTK_WIDGET (dialog), &a));
          g_assert_true (gtk_widget_compute_bounds (this[side], GTK_WIDGET (dialog), &b));
          g_assert_cmpfloat (b.origin.x, ==, a.origin.x);
          g_assert_cmpfloat (b.size.width, ==, a.size.width);
        }
    }

  /* The direction: its value whole in the row, its choices whole in the
   * open list. */
  direction = cc_test_ui_find (GTK_WIDGET (dialog), ADW_TYPE_COMBO_ROW, is_combo_row,
                               (gpointer) _("Synchronize"));
  g_assert_nonnull (direction);
  cut = cc_test_ui_find (direction, GTK_TYPE_LABEL, not_cut, NULL);
  g_assert_null (cut);
  g_assert_true (gtk_widget_activate (direction));
  g_assert_true (cc_test_wait_until (popover_shown, direction, TIMEOUT));
  popover = cc_test_ui_find (direction, GTK_TYPE_POPOVER, NULL, NULL);
  wait_for_layout (GTK_WIDGET (dialog));
  cut = cc_test_ui_find (popover, GTK_TYPE_LABEL, not_cut, NULL);
  if (cut != NULL)
    g_error ("%s: the choice “%s” is cut", lang, gtk_label_get_label (GTK_LABEL (cut)));
  save (GTK_WIDGET (dialog), "optinout-800x600");
  save (popover, "optinout-directions");
  gtk_popover_popdown (GTK_POPOVER (popover));
  wait_for_layout (GTK_WIDGET (dialog));

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

  g_test_add_func ("/ui/layout/small-window", test_small_window);
  g_test_add_func ("/ui/layout/large-window", test_large_window);
  g_test_add_func ("/ui/layout/optinout-editor", test_optinout_editor);
  return g_test_run ();
}
