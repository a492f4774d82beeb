/* test-window.c — the application opens its main window, for real; its
 * icon is found from the build tree, tooltips stay out of the way, and
 * the editors' numbers are one width. */
#include "config.h"

#include <glib/gi18n.h>

#include "cc-actions-cell.h"
#include "cc-application.h"
#include "cc-edit-dialog.h"
#include "cc-test-cells.h"
#include "cc-test-input.h"
#include "cc-test-ui.h"
#include "cc-test-util.h"
#include "cc-window.h"

#define TIMEOUT 60

static void
on_activate (GApplication *app,
             gpointer      user_data)
{
  GtkWindow *window;
  g_autofree char *png = NULL;

  /* The default activate handler ran first and presented the window. */
  window = gtk_application_get_active_window (GTK_APPLICATION (app));
  g_assert_true (CC_IS_WINDOW (window));
  g_assert_true (cc_test_ui_wait_mapped (GTK_WIDGET (window), 30));

  g_assert_cmpstr (gtk_window_get_title (window), ==, "Campaign Connector");
  g_assert_true (ADW_IS_APPLICATION_WINDOW (window));

  png = cc_test_ui_save_png (GTK_WIDGET (window), "main-window");
  g_assert_true (g_file_test (png, G_FILE_TEST_IS_REGULAR));

  gtk_window_close (window);
}

static void
test_window_opens (void)
{
  g_autoptr(CcApplication) app = cc_application_new ();
  int status;

  g_signal_connect_after (app, "activate", G_CALLBACK (on_activate), NULL);
  status = g_application_run (G_APPLICATION (app), 0, NULL);
  g_assert_cmpint (status, ==, 0);
}

/* The app's own icon (About, the start page) comes with the program: no
 * icon is installed where the tests run. */
static void
test_icon_found (void)
{
  GtkIconTheme *theme;
  g_autoptr(GtkIconPaintable) icon = NULL;
  g_autoptr(GFile) file = NULL;
  g_autofree char *uri = NULL;

  cc_test_ui_get_application ();
  theme = gtk_icon_theme_get_for_display (gdk_display_get_default ());
  g_assert_true (gtk_icon_theme_has_icon (theme, APP_ID));
  g_assert_true (gtk_icon_theme_has_icon (theme, APP_ID "-symbolic"));

  icon = gtk_icon_theme_lookup_icon (theme, APP_ID "-symbolic", NULL, 128, 1,
                                     GTK_TEXT_DIR_LTR, 0);
  file = gtk_icon_paintable_get_file (icon);
  g_assert_nonnull (file);
  uri = g_file_get_uri (file);
  g_test_message ("icon: %s", uri);
  g_assert_true (g_str_has_suffix (uri, APP_ID "-symbolic.svg"));
}

static gboolean
tooltip_window (GtkWidget *widget,
                gpointer   user_data)
{
  return g_str_equal (G_OBJECT_TYPE_NAME (widget), "GtkTooltipWindow");
}

typedef struct
{
  GtkWidget  *window;
  const char *text;
} TooltipWait;

static gboolean
label_shows (GtkWidget *widget,
             gpointer   user_data)
{
  return gtk_widget_get_mapped (widget)
         && g_strcmp0 (gtk_label_get_label (GTK_LABEL (widget)), user_data) == 0;
}

/* The window's tooltip, shown with @wait's text. */
static gboolean
tooltip_shown (gpointer user_data)
{
  TooltipWait *wait = user_data;
  GtkWidget *tooltip = cc_test_ui_find (wait->window, GTK_TYPE_WIDGET, tooltip_window, NULL);

  return tooltip != NULL && gtk_widget_get_mapped (tooltip) && gtk_widget_get_width (tooltip) > 0
         && cc_test_ui_find (tooltip, GTK_TYPE_LABEL, label_shows, (gpointer) wait->text) != NULL;
}

/* The Stop button's warning tooltip is as wide as its text, not twice. */
static void
test_stop_tooltip_fits (void)
{
  CcTestUiWorld world;
  CcWorkflow *ingress;
  GtkWidget *window, *button, *tooltip, *label;
  g_autoptr(GError) error = NULL;
  g_autofree char *png = NULL;
  TooltipWait wait;
  int text_width = 0;

  cc_test_ui_world_init (&world, TRUE);
  window = GTK_WIDGET (cc_test_ui_world_open (&world));
  g_assert_true (cc_test_wait_until (cc_test_cells_rows_shown, window, TIMEOUT));
  ingress = cc_engine_find_workflow (world.engine, "ingress");
  g_assert_true (cc_workflow_start (ingress, &error));
  g_assert_no_error (error);
  g_assert_true (cc_test_ui_wait_status (ingress, CC_WORKFLOW_RUNNING, TIMEOUT));
  /* An edit while running: the Stop button warns in its tooltip. */
  {
    g_autofree char *config = cc_workflow_get_config (ingress);
    g_autoptr(JsonNode) node = json_from_string (config, NULL);

    json_object_set_int_member (json_node_get_object (node), "poll-interval", 42);
    g_assert_true (cc_workflow_set_config_node (ingress, node, &error));
    g_assert_no_error (error);
  }
  button = GTK_WIDGET (cc_actions_cell_get_toggle_button (cc_test_cells_find_actions (window, "ingress")));
  g_assert_nonnull (gtk_widget_get_tooltip_text (button));

  cc_test_input_focus_window (GTK_WINDOW (window));
  cc_test_input_hover (button);
  wait = (TooltipWait) { window, gtk_widget_get_tooltip_text (button) };
  g_assert_true (cc_test_wait_until (tooltip_shown, &wait, TIMEOUT));
  tooltip = cc_test_ui_find (window, GTK_TYPE_WIDGET, tooltip_window, NULL);
  label = cc_test_ui_find (tooltip, GTK_TYPE_LABEL, label_shows, (gpointer) wait.text);
  png = cc_test_ui_save_png (tooltip, "tooltip-stop-pending");
  /* The widest line as the tooltip shows it (wrapped or not)… */
  pango_layout_get_pixel_size (gtk_label_get_layout (GTK_LABEL (label)), &text_width, NULL);
  g_test_message ("tooltip %d px wide for %d px of text", gtk_widget_get_width (tooltip), text_width);
  /* …and the tooltip's own padding, no more. */
  g_assert_cmpint (gtk_widget_get_width (tooltip), <=, text_width + 40);

  cc_test_ui_world_clear (&world);
}

/* A menu button's tooltip keeps off its open menu. */
static void
test_menu_tooltips_quiet (void)
{
  CcTestUiWorld world;
  GtkMenuButton *menu;

  cc_test_ui_world_init (&world, TRUE);
  cc_test_ui_world_open (&world);
  menu = GTK_MENU_BUTTON (cc_test_ui_find (GTK_WIDGET (world.window), GTK_TYPE_MENU_BUTTON, NULL, NULL));
  g_assert_nonnull (menu);
  g_assert_true (gtk_widget_get_has_tooltip (GTK_WIDGET (menu)));
  gtk_menu_button_popup (menu);
  g_assert_true (cc_test_ui_wait_mapped (GTK_WIDGET (gtk_menu_button_get_popover (menu)), TIMEOUT));
  g_assert_false (gtk_widget_get_has_tooltip (GTK_WIDGET (menu)));
  gtk_menu_button_popdown (menu);
  g_assert_true (gtk_widget_get_has_tooltip (GTK_WIDGET (menu)));

  cc_test_ui_world_clear (&world);
}

static void
collect_spin_widths (GtkWidget *widget,
                     GArray    *widths)
{
  if (GTK_IS_SPIN_BUTTON (widget) && gtk_widget_get_mapped (widget))
    {
      int width = gtk_widget_get_width (widget);

      g_array_append_val (widths, width);
    }
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect_spin_widths (child, widths);
}

/* Every number of an editor is as wide as every other. */
static void
test_spin_widths (void)
{
  static const char * const ids[] = { "ingress", "egress", "optinout" };
  g_autoptr(GArray) widths = g_array_new (FALSE, FALSE, sizeof (int));
  CcTestUiWorld world;

  cc_test_ui_world_init (&world, TRUE);
  cc_test_ui_world_open (&world);
  for (guint i = 0; i < G_N_ELEMENTS (ids); i++)
    {
      GtkWindow *dialog = cc_window_open_editor (world.window, ids[i]);
      GtkWidget *advanced = NULL;

      g_assert_true (cc_test_ui_wait_mapped (GTK_WIDGET (dialog), TIMEOUT));
      /* The opt-in/opt-out numbers sit in its Advanced group, shown. */
      advanced = cc_test_ui_find (GTK_WIDGET (dialog), ADW_TYPE_EXPANDER_ROW, NULL, NULL);
      if (advanced != NULL)
        adw_expander_row_set_expanded (ADW_EXPANDER_ROW (advanced), TRUE);
      g_assert_true (cc_test_ui_wait_mapped (GTK_WIDGET (dialog), TIMEOUT));
      collect_spin_widths (GTK_WIDGET (dialog), widths);
      gtk_window_destroy (dialog);
    }
  g_assert_cmpuint (widths->len, >=, 7);
  for (guint i = 1; i < widths->len; i++)
    g_assert_cmpint (g_array_index (widths, int, i), ==, g_array_index (widths, int, 0));

  cc_test_ui_world_clear (&world);
}

int
main (int argc, char **argv)
{
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  g_test_add_func ("/ui/window/opens", test_window_opens);
  g_test_add_func ("/ui/window/icon-found", test_icon_found);
  g_test_add_func ("/ui/window/stop-tooltip-fits", test_stop_tooltip_fits);
  g_test_add_func ("/ui/window/menu-tooltips-quiet", test_menu_tooltips_quiet);
  g_test_add_func ("/ui/window/spin-widths", test_spin_widths);
  return g_test_run ();
}
