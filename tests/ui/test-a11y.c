/* test-a11y.c — the window and every dialog as a screen reader finds them
 * in the AT-SPI tree (read by cc-a11y-dump, on the accessibility bus the
 * harness starts for this test): every widget one can act on has one
 * clean name — not empty, not a GTK type name standing in for one, not
 * doubled, no mnemonic underscore.
 *
 * gtk_test_init() would switch GTK's accessibility to its in-process
 * test backend: this test initialises GTK itself.
 */
#include "config.h"

#include <glib/gi18n.h>
#include <unistd.h>

#include "cc-actions-cell.h"
#include "cc-egress-dialog.h"
#include "cc-error-item.h"
#include "cc-error-row.h"
#include "cc-failed-cell.h"
#include "cc-field-row.h"
#include "cc-ingress-dialog.h"
#include "cc-mapping-editor.h"
#include "cc-optinout-dialog.h"
#include "cc-picker-row.h"
#include "cc-questions.h"
#include "cc-test-admin.h"
#include "cc-test-cells.h"
#include "cc-test-ui.h"
#include "cc-test-util.h"
#include "cc-workflow-details.h"

#define TIMEOUT 120

/* Roles of what one can act on, as AT-SPI names them, and of the rows
 * and lists that hold it. */
static const char * const checked_roles[] = {
  "push button", "toggle button", "check box", "radio button", "combo box", "text",
  "password text", "spin button", "slider", "menu item", "check menu item",
  "radio menu item", "link", "list item", "table row", "page tab", "entry", "switch",
  "tree item", "list", "list box", "table", "tree table", "tree", "menu", "calendar",
  NULL,
};

typedef struct
{
  gboolean  done;
  char     *out;
  char     *err;
  GError   *error;
} Dump;

static void
on_dumped (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  Dump *dump = user_data;

  g_subprocess_communicate_utf8_finish (G_SUBPROCESS (source), result, &dump->out, &dump->err,
                                        &dump->error);
  dump->done = TRUE;
}

static gboolean
dumped (gpointer user_data)
{
  return ((Dump *) user_data)->done;
}

/* This process's AT-SPI tree, read by another process while our main
 * loop runs to answer it. */
static JsonNode *
dump_tree (void)
{
  g_autofree char *pid = g_strdup_printf ("%d", (int) getpid ());
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  Dump dump = { 0 };
  JsonNode *tree;

  process = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE,
                              &error, g_getenv ("CC_A11Y_DUMP"), pid, NULL);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8_async (process, NULL, NULL, on_dumped, &dump);
  g_assert_true (cc_test_wait_until (dumped, &dump, TIMEOUT));
  g_assert_no_error (dump.error);
  if (!g_subprocess_get_successful (process))
    g_error ("cc-a11y-dump failed: %s", dump.err);
  tree = json_from_string (dump.out, &error);
  g_assert_no_error (error);
  g_free (dump.out);
  g_free (dump.err);
  return tree;
}

static gboolean
has_state (JsonObject *node,
           const char *state)
{
  JsonArray *states = json_object_get_array_member (node, "states");

  for (guint i = 0; i < json_array_get_length (states); i++)
    if (g_str_equal (json_array_get_string_element (states, i), state))
      return TRUE;
  return FALSE;
}

/* What GTK 4.8 says when it has no name: the widget's type name. */
static gboolean
is_type_name (const char *name)
{
  if (!g_str_has_prefix (name, "Gtk") && !g_str_has_prefix (name, "Adw")
      && !g_str_has_prefix (name, "Cc"))
    return FALSE;
  for (const char *p = name; *p != '\0'; p++)
    if (!g_ascii_isalnum (*p))
      return FALSE;
  return TRUE;
}

/* "Retry All Retry All", and "_Save Save" (with the mnemonic). */
static gboolean
is_doubled (const char *name)
{
  size_t length = strlen (name);
  g_autofree char *plain = NULL;
  g_autoptr(GString) without = g_string_new (NULL);

  for (const char *p = name; *p != '\0'; p++)
    if (*p != '_')
      g_string_append_c (without, *p);
  plain = g_strdup (without->str);
  length = strlen (plain);
  return length % 2 == 1 && plain[length / 2] == ' '
         && strncmp (plain, plain + length / 2 + 1, length / 2) == 0;
}

/* A mnemonic underscore before a letter in words ("_Cancel", "Retry
 * _All", "S_ave"), not in a technical name such as a column's (new_tier). */
static gboolean
has_mnemonic (const char *name)
{
  gboolean words = strchr (name, ' ') != NULL || g_ascii_isupper (name[0]) || name[0] == '_';

  for (const char *p = name; words && *p != '\0'; p++)
    if (p[0] == '_' && g_ascii_isalpha (p[1]))
      return TRUE;
  return FALSE;
}

static void
check_node (JsonObject *node,
            const char *path,
            GPtrArray  *problems)
{
  const char *role = json_object_get_string_member (node, "role");
  const char *name = json_object_get_string_member (node, "name");
  JsonArray *children = json_object_get_array_member (node, "children");
  g_autofree char *here = g_strdup_printf ("%s > %s “%s”", path, role, name);

  /* Hidden parts are not read; a hidden page's own parts are (visible,
   * not showing) and are checked. */
  if (!has_state (node, "visible"))
    return;

  if (g_strv_contains (checked_roles, role))
    {
      if (*name == '\0' || is_type_name (name))
        g_ptr_array_add (problems, g_strdup_printf ("unnamed: %s", here));
      else if (is_doubled (name))
        g_ptr_array_add (problems, g_strdup_printf ("doubled: %s", here));
      else if (has_mnemonic (name))
        g_ptr_array_add (problems, g_strdup_printf ("mnemonic: %s", here));
    }

  for (guint i = 0; i < json_array_get_length (children); i++)
    {
      g_autofree char *child_path = g_strdup_printf ("%s > %s", path, role);

      check_node (json_array_get_object_element (children, i),
                  strlen (path) > 200 ? path : child_path, problems);
    }
}

/* Checks the toplevel named @title (and nothing else) in the AT-SPI tree. */
static void
assert_window_named_cleanly (const char *title,
                             const char *what)
{
  g_autoptr(JsonNode) tree = dump_tree ();
  g_autoptr(GPtrArray) problems = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *file = g_strdup_printf ("a11y-%s.json", what);
  g_autofree char *path = NULL;
  g_autofree char *text = json_to_string (tree, TRUE);
  JsonArray *windows = json_object_get_array_member (json_node_get_object (tree), "children");
  guint checked = 0;

  for (guint i = 0; i < json_array_get_length (windows); i++)
    {
      JsonObject *window = json_array_get_object_element (windows, i);

      if (g_strcmp0 (json_object_get_string_member (window, "name"), title) != 0)
        continue;
      check_node (window, what, problems);
      checked++;
    }
  /* The tree as read, for whoever looks into a failure. */
  g_strdelimit (file, " ,/", '-');
  path = cc_test_artifact_path (file);
  g_assert_true (g_file_set_contents (path, text, -1, NULL));
  if (checked == 0)
    g_error ("%s: no window “%s” in the AT-SPI tree", what, title);
  for (guint i = 0; i < problems->len; i++)
    g_test_message ("%s", (char *) g_ptr_array_index (problems, i));
  if (problems->len > 0)
    g_test_fail_printf ("%s: %u widgets without one clean accessible name (listed above)",
                        what, problems->len);
}

static GtkWindow *
open_editor (CcTestUiWorld *world,
             const char    *id)
{
  GtkWindow *dialog = cc_window_open_editor (world->window, id);

  g_assert_true (cc_test_ui_wait_mapped (GTK_WIDGET (dialog), TIMEOUT));
  return dialog;
}

static void
test_main_window (void)
{
  CcTestUiWorld world;
  GtkMenuButton *menu;

  cc_test_ui_world_init (&world, TRUE);
  cc_test_ui_world_open (&world);
  g_assert_true (cc_test_wait_until (cc_test_cells_rows_shown, world.window, TIMEOUT));
  assert_window_named_cleanly (_("Campaign Connector"), "main window");

  /* With its main menu open. */
  menu = GTK_MENU_BUTTON (cc_test_ui_find (GTK_WIDGET (world.window), GTK_TYPE_MENU_BUTTON, NULL, NULL));
  gtk_menu_button_popup (menu);
  g_assert_true (cc_test_ui_wait_mapped (GTK_WIDGET (gtk_menu_button_get_popover (menu)), TIMEOUT));
  assert_window_named_cleanly (_("Campaign Connector"), "main menu");
  gtk_menu_button_popdown (menu);
  cc_test_ui_world_clear (&world);
}

/* The window with nothing configured: its start page. */
static void
test_start_page (void)
{
  CcTestUiWorld world;

  cc_test_ui_world_init (&world, FALSE);
  cc_test_ui_world_open (&world);
  assert_window_named_cleanly (_("Campaign Connector"), "start page");
  cc_test_ui_world_clear (&world);
}

/* The row's pick button is shown: the schema has come. */
static gboolean
pick_ready (gpointer row)
{
  return cc_picker_row_get_n_choices (row) > 0;
}

static gboolean
row_titled (GtkWidget *widget,
            gpointer   user_data)
{
  return g_strcmp0 (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (widget)), user_data) == 0;
}

static void
test_ingress_editor (void)
{
  CcTestUiWorld world;
  GtkWindow *dialog;
  CcMappingEditor *editor;
  GtkMenuButton *pick;
  GtkWidget *column;

  cc_test_ui_world_init (&world, TRUE);
  cc_test_ui_world_open (&world);
  dialog = open_editor (&world, "ingress");
  assert_window_named_cleanly (gtk_window_get_title (dialog), "ingress editor, General");

  /* A mapping with a field unfolded, a filter, a transform and a
   * replacement. */
  cc_ingress_dialog_show_mapping (CC_INGRESS_DIALOG (dialog), 0);
  editor = cc_ingress_dialog_get_mapping (CC_INGRESS_DIALOG (dialog), 0);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (editor), "mapping.add-filter", NULL));
  adw_expander_row_set_expanded (ADW_EXPANDER_ROW (cc_mapping_editor_get_field (editor, 0)), TRUE);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (cc_mapping_editor_get_field (editor, 0)),
                                             "field.add-transform", "s", "default"));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (cc_mapping_editor_get_field (editor, 0)),
                                             "field.add-replacement", NULL));
  assert_window_named_cleanly (gtk_window_get_title (dialog), "ingress editor, mapping");

  /* With the list of the schema's columns open. */
  column = cc_test_ui_find (GTK_WIDGET (cc_mapping_editor_get_field (editor, 0)), CC_TYPE_PICKER_ROW,
                           row_titled, (gpointer) _("Dynamics 365 Field"));
  g_assert_nonnull (column);
  g_assert_true (cc_test_wait_until (pick_ready, column, TIMEOUT));
  pick = GTK_MENU_BUTTON (cc_test_ui_find (column, GTK_TYPE_MENU_BUTTON, NULL, NULL));
  gtk_menu_button_popup (pick);
  g_assert_true (cc_test_ui_wait_mapped (GTK_WIDGET (gtk_menu_button_get_popover (pick)), TIMEOUT));
  assert_window_named_cleanly (gtk_window_get_title (dialog), "schema choices");
  gtk_menu_button_popdown (pick);
  cc_test_ui_world_clear (&world);
}

static void
test_egress_and_optinout_editors (void)
{
  CcTestUiWorld world;
  GtkWindow *dialog;

  cc_test_ui_world_init (&world, TRUE);
  cc_test_ui_world_open (&world);
  dialog = open_editor (&world, "egress");
  assert_window_named_cleanly (gtk_window_get_title (dialog), "egress editor");
  gtk_window_destroy (dialog);
  dialog = open_editor (&world, "optinout");
  assert_window_named_cleanly (gtk_window_get_title (dialog), "opt-in/opt-out editor");
  cc_test_ui_world_clear (&world);
}

static void
test_connections (void)
{
  CcTestUiWorld world;
  GtkWindow *dialog;

  cc_test_ui_world_init (&world, TRUE);
  cc_test_ui_world_open (&world);
  dialog = cc_window_open_connections (world.window);
  g_assert_true (cc_test_ui_wait_mapped (GTK_WIDGET (dialog), TIMEOUT));
  assert_window_named_cleanly (gtk_window_get_title (dialog), "connections");
  cc_test_ui_world_clear (&world);
}

static void
test_details (void)
{
  static const char * const pages[] = { "activity", "history", "errors" };
  CcTestUiWorld world;
  GtkWindow *details;
  GtkMenuButton *replay;

  cc_test_ui_world_init (&world, TRUE);
  cc_test_ui_world_open (&world);
  cc_test_ui_put_in_error_log (world.engine, "egress", 3);
  details = cc_window_open_details (world.window, "egress");
  g_assert_true (cc_test_ui_wait_mapped (GTK_WIDGET (details), TIMEOUT));
  for (guint i = 0; i < G_N_ELEMENTS (pages); i++)
    {
      cc_workflow_details_show_page (CC_WORKFLOW_DETAILS (details), pages[i]);
      assert_window_named_cleanly (gtk_window_get_title (details), pages[i]);
    }

  /* With the Replay… popover open. */
  replay = GTK_MENU_BUTTON (cc_test_ui_find (GTK_WIDGET (details), GTK_TYPE_MENU_BUTTON, NULL, NULL));
  gtk_menu_button_popup (replay);
  g_assert_true (cc_test_ui_wait_mapped (GTK_WIDGET (gtk_menu_button_get_popover (replay)), TIMEOUT));
  assert_window_named_cleanly (gtk_window_get_title (details), "replay popover");
  gtk_menu_button_popdown (replay);
  cc_test_ui_world_clear (&world);
}

/* The first node under @node (depth first) named @name. */
static JsonObject *
find_named (JsonObject *node,
            const char *name)
{
  JsonArray *children = json_object_get_array_member (node, "children");

  if (g_strcmp0 (json_object_get_string_member (node, "name"), name) == 0)
    return node;
  for (guint i = 0; i < json_array_get_length (children); i++)
    {
      JsonObject *found = find_named (json_array_get_object_element (children, i), name);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static gboolean
has_notice (gpointer workflow)
{
  return *cc_workflow_get_notice (workflow) != '\0';
}

/* A run's notice in the main window is read out: the information icon
 * after the workflow's title is named, and described by the notice. */
static void
test_notice (void)
{
  CcTestUiWorld world;
  CcWorkflow *optinout;
  g_autoptr(JsonNode) off = NULL;
  g_autoptr(JsonNode) tree = NULL;
  g_autoptr(GError) error = NULL;
  JsonObject *icon;

  cc_test_ui_world_init (&world, TRUE);
  off = cc_test_admin (cc_sandbox_get_dataverse_url (world.sandbox), "POST",
                       "/_sandbox/tables/contacts/change-tracking", "{\"enabled\": false}");
  cc_test_ui_world_open (&world);
  g_assert_true (cc_test_wait_until (cc_test_cells_rows_shown, world.window, TIMEOUT));
  optinout = cc_engine_find_workflow (world.engine, "optinout");
  g_assert_true (cc_workflow_start (optinout, &error));
  g_assert_no_error (error);
  g_assert_true (cc_test_wait_until (has_notice, optinout, TIMEOUT));

  tree = dump_tree ();
  icon = find_named (json_node_get_object (tree), C_("notice", "Notice"));
  g_assert_nonnull (icon);
  g_assert_true (has_state (icon, "visible"));
  g_assert_cmpstr (json_object_get_string_member (icon, "description"), ==,
                   cc_workflow_get_notice (optinout));
  assert_window_named_cleanly (_("Campaign Connector"), "main window with a notice");

  cc_workflow_stop (optinout);
  g_assert_true (cc_test_ui_wait_status (optinout, CC_WORKFLOW_STOPPED, TIMEOUT));
  cc_test_ui_world_clear (&world);
}

/* Records ingress could not write waiting in its error log. */
static gboolean
three_refused (gpointer workflow)
{
  return cc_workflow_get_error_count (workflow) == 3 && cc_workflow_get_backlog (workflow) == 0;
}

/* Failures in view: the row's warning and its Failed count (a button),
 * and the error log by reason, then one reason's records narrowed to
 * one record (both filters shown, each with its button). */
static void
test_failures (void)
{
  CcTestUiWorld world;
  CcWorkflow *ingress;
  CcWorkflowDetails *details;
  CcErrorLog *log;
  GtkWidget *failed;
  g_autoptr(CcErrorItem) item = NULL;
  g_autoptr(GError) error = NULL;
  const char *title;

  cc_test_ui_world_init (&world, TRUE);
  cc_test_admin_set_emails (cc_sandbox_get_dataverse_url (world.sandbox), 0, 3, "not an address");
  cc_test_ui_world_open (&world);
  g_assert_true (cc_test_wait_until (cc_test_cells_rows_shown, world.window, TIMEOUT));
  ingress = cc_engine_find_workflow (world.engine, "ingress");
  g_assert_true (cc_workflow_start (ingress, &error));
  g_assert_no_error (error);
  g_assert_true (cc_test_wait_until (three_refused, ingress, TIMEOUT));
  failed = cc_test_cells_find (GTK_WIDGET (world.window), CC_TYPE_FAILED_CELL, "ingress");
  g_assert_true (cc_test_ui_wait_mapped (GTK_WIDGET (cc_failed_cell_get_button (CC_FAILED_CELL (failed))),
                                         TIMEOUT));
  assert_window_named_cleanly (_("Campaign Connector"), "main window with failures");

  details = CC_WORKFLOW_DETAILS (cc_window_open_error_log (world.window, "ingress"));
  log = cc_workflow_details_get_error_log (details);
  g_assert_true (cc_test_ui_wait_mapped (GTK_WIDGET (log), TIMEOUT));
  title = gtk_window_get_title (GTK_WINDOW (details));
  assert_window_named_cleanly (title, "error log by reason");

  item = g_list_model_get_item (cc_error_log_get_entries (log), 0);
  cc_error_log_show_reason (log, cc_error_item_get_entry (item)->reason);
  cc_error_log_show_record (log, cc_error_item_get_entry (item)->key);
  g_assert_true (cc_test_ui_wait_mapped (cc_test_ui_find (GTK_WIDGET (log), CC_TYPE_ERROR_ROW,
                                                          NULL, NULL), TIMEOUT));
  assert_window_named_cleanly (title, "error log of one record");

  cc_workflow_stop (ingress);
  g_assert_true (cc_test_ui_wait_status (ingress, CC_WORKFLOW_STOPPED, TIMEOUT));
  cc_test_ui_world_clear (&world);
}

/* The questions the window asks. */
static void
test_questions (void)
{
  CcTestUiWorld world;
  AdwMessageDialog *question;

  cc_test_ui_world_init (&world, TRUE);
  cc_test_ui_world_open (&world);
  question = cc_questions_stop_pending (GTK_WINDOW (world.window),
                                        cc_engine_find_workflow (world.engine, "ingress"));
  g_assert_true (cc_test_ui_wait_mapped (GTK_WIDGET (question), TIMEOUT));
  assert_window_named_cleanly (gtk_window_get_title (GTK_WINDOW (question)), "stop question");
  gtk_window_destroy (GTK_WINDOW (question));
  question = cc_questions_discard (GTK_WINDOW (world.window), "Opt-in/Opt-out");
  g_assert_true (cc_test_ui_wait_mapped (GTK_WIDGET (question), TIMEOUT));
  assert_window_named_cleanly (gtk_window_get_title (GTK_WINDOW (question)), "discard question");
  gtk_window_destroy (GTK_WINDOW (question));
  question = cc_questions_close_running (GTK_WINDOW (world.window), 2);
  g_assert_true (cc_test_ui_wait_mapped (GTK_WIDGET (question), TIMEOUT));
  assert_window_named_cleanly (gtk_window_get_title (GTK_WINDOW (question)), "close question");
  cc_test_ui_world_clear (&world);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  gtk_init ();
  adw_init ();

  g_test_add_func ("/ui/a11y/main-window", test_main_window);
  g_test_add_func ("/ui/a11y/start-page", test_start_page);
  g_test_add_func ("/ui/a11y/ingress-editor", test_ingress_editor);
  g_test_add_func ("/ui/a11y/egress-optinout-editors", test_egress_and_optinout_editors);
  g_test_add_func ("/ui/a11y/connections", test_connections);
  g_test_add_func ("/ui/a11y/details", test_details);
  g_test_add_func ("/ui/a11y/failures", test_failures);
  g_test_add_func ("/ui/a11y/questions", test_questions);
  g_test_add_func ("/ui/a11y/notice", test_notice);
  return g_test_run ();
}
