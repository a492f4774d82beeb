/* test-i18n.c — the main window in another language, for real.
 *
 * Run once per language (tests/ui/meson.build sets LANG and CC_TEST_LANG):
 * the window opens on an engine over the sandbox, and the column headers,
 * the status words and the Start/Stop button must be the translated ones
 * from the build's catalogs, as the glossary fixes them. A picture of each
 * language is kept, which also shows whether the script renders.
 */
#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>

#include "cc-actions-cell.h"
#include "cc-status-cell.h"
#include "cc-test-cells.h"
#include "cc-test-ui.h"
#include "cc-test-util.h"

#define TIMEOUT 60

/* The expected words, written out rather than looked up through gettext:
 * a catalog that is missing or not loaded must fail the test. */
typedef struct
{
  const char *lang;
  const char *locale;
  const char *workflow;
  const char *status;
  const char *backlog;
  const char *written;
  const char *failed;
  const char *stopped;
  const char *running;
  const char *start;
  const char *stop;
  const char *ingress_title;
} Expected;

static const Expected languages[] = {
  { "de", "de_DE.UTF-8", "Workflow", "Status", "Rückstand", "Geschrieben", "Fehlgeschlagen",
    "Gestoppt", "Wird ausgeführt", "Starten", "Stoppen",
    "Microsoft Dynamics 365 zu Campaign" },
  { "ja", "ja_JP.UTF-8", "ワークフロー", "ステータス", "バックログ", "書き込み済み", "失敗",
    "停止済み", "実行中", "開始", "停止",
    "Microsoft Dynamics 365 から Campaign へ" },
};

static const Expected *expected;

typedef struct
{
  GtkWidget  *window;
  const char *id;
  const char *text;
} StatusWait;

static gboolean
status_shows (gpointer user_data)
{
  StatusWait *wait = user_data;
  CcStatusCell *cell = cc_test_cells_find_status (wait->window, wait->id);

  return cell != NULL
         && cc_test_ui_find (GTK_WIDGET (cell), GTK_TYPE_LABEL, cc_test_cells_label_has_text,
                             (gpointer) wait->text) != NULL;
}

/* The label text of the first label in @id's Start/Stop button. */
static const char *
toggle_text (GtkWidget  *window,
             const char *id)
{
  CcActionsCell *actions = cc_test_cells_find_actions (window, id);
  GtkWidget *label;

  g_assert_nonnull (actions);
  label = cc_test_ui_find (GTK_WIDGET (cc_actions_cell_get_toggle_button (actions)),
                           GTK_TYPE_LABEL, NULL, NULL);
  g_assert_nonnull (label);
  return gtk_label_get_label (GTK_LABEL (label));
}

static void
assert_column (GtkColumnView *view,
               const char    *title)
{
  GListModel *columns = gtk_column_view_get_columns (view);
  gboolean found = FALSE;

  for (guint i = 0; i < g_list_model_get_n_items (columns); i++)
    {
      g_autoptr(GtkColumnViewColumn) column = g_list_model_get_item (columns, i);

      found |= g_strcmp0 (gtk_column_view_column_get_title (column), title) == 0;
    }
  if (!found)
    g_error ("no column titled “%s” in %s", title, expected->lang);
  /* And the header on screen shows it. */
  g_assert_nonnull (cc_test_ui_find (GTK_WIDGET (view), GTK_TYPE_LABEL, cc_test_cells_label_has_text,
                                     (gpointer) title));
}

static void
test_window_translated (void)
{
  CcTestUiWorld world;
  GtkWidget *window;
  GtkColumnView *view;
  CcWorkflow *ingress;
  StatusWait wait;
  g_autofree char *name = NULL;
  g_autofree char *png = NULL;

  cc_test_ui_world_init (&world, TRUE);
  window = GTK_WIDGET (cc_test_ui_world_open (&world));
  g_assert_true (cc_test_wait_until (cc_test_cells_rows_shown, window, TIMEOUT));

  /* The column headers. */
  view = GTK_COLUMN_VIEW (cc_test_ui_find (window, GTK_TYPE_COLUMN_VIEW, NULL, NULL));
  g_assert_nonnull (view);
  assert_column (view, expected->workflow);
  assert_column (view, expected->status);
  assert_column (view, expected->backlog);
  assert_column (view, expected->written);
  assert_column (view, expected->failed);

  /* The rows: the workflow title and the status word of a stopped one. */
  g_assert_nonnull (cc_test_ui_find (window, GTK_TYPE_LABEL, cc_test_cells_label_has_text,
                                     (gpointer) expected->ingress_title));
  wait = (StatusWait) { window, "ingress", expected->stopped };
  g_assert_true (status_shows (&wait));
  g_assert_cmpstr (toggle_text (window, "ingress"), ==, expected->start);

  /* Started: the Running word and the Stop button. */
  ingress = cc_engine_find_workflow (world.engine, "ingress");
  g_assert_nonnull (ingress);
  cc_test_ui_click (GTK_WIDGET (cc_actions_cell_get_toggle_button (
    cc_test_cells_find_actions (window, "ingress"))));
  g_assert_true (cc_test_ui_wait_status (ingress, CC_WORKFLOW_RUNNING, TIMEOUT));
  wait.text = expected->running;
  g_assert_true (cc_test_wait_until (status_shows, &wait, TIMEOUT));
  g_assert_cmpstr (toggle_text (window, "ingress"), ==, expected->stop);
  /* The other two are still stopped, in the same language. */
  wait = (StatusWait) { window, "egress", expected->stopped };
  g_assert_true (status_shows (&wait));

  name = g_strconcat ("main-window-", expected->lang, NULL);
  png = cc_test_ui_save_png (window, name);
  g_assert_true (g_file_test (png, G_FILE_TEST_IS_REGULAR));

  cc_test_ui_world_clear (&world);
}

int
main (int argc, char **argv)
{
  const char *lang = g_getenv ("CC_TEST_LANG");
  const char *localedir = g_getenv ("CC_LOCALEDIR");
  g_autofree char *mo = NULL;
  g_autofree char *path = NULL;
  const char *current;

  for (guint i = 0; i < G_N_ELEMENTS (languages); i++)
    if (g_strcmp0 (languages[i].lang, lang) == 0)
      expected = &languages[i];
  if (expected == NULL || localedir == NULL)
    g_error ("CC_TEST_LANG (de or ja) and CC_LOCALEDIR must be set");

  /* As src/ui/main.c does, with the build's catalogs: the language
   * comes from LANG (tests/ui/meson.build unsets LC_ALL). */
  current = setlocale (LC_ALL, "");
  if (current == NULL || !g_str_has_prefix (current, expected->lang))
    g_error ("LANG=%s gives the locale %s, not %s", g_getenv ("LANG"),
             current ? current : "(none)", expected->locale);
  mo = g_strconcat (expected->lang, "/LC_MESSAGES/" GETTEXT_PACKAGE ".mo", NULL);
  path = g_build_filename (localedir, mo, NULL);
  if (!g_file_test (path, G_FILE_TEST_IS_REGULAR))
    g_error ("%s was not built", path);
  bindtextdomain (GETTEXT_PACKAGE, localedir);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  gtk_test_init (&argc, &argv, NULL);
  /* gtk_test_init() sets the C locale again for reproducible tests. */
  setlocale (LC_ALL, "");
  g_test_add_func ("/ui/i18n/window-translated", test_window_translated);
  return g_test_run ();
}
