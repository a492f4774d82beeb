/* test-i18n.c — the main window in another language, for real.
 *
 * Run once per language (tests/ui/meson.build sets LANG and CC_TEST_LANG):
 * the window opens on an engine over the sandbox, and the column headers,
 * the status words and the Start/Stop button must be the translated ones
 * from the build's catalogs, as the glossary fixes them. A picture of each
 * language is kept, which also shows whether the script renders.
 *
 * The Status column is as wide as the language's words need: each of the
 * four statuses, laid out as its cell shows it, fits without ellipsis, the
 * widest one exactly, and the same window in the C locale (switched to in
 * the same process) has a different width for German.
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

/* Frames drawn since the counter started: layout has happened once two
 * frames have begun after a change. */
static gboolean
count_frame (GtkWidget     *widget,
             GdkFrameClock *clock,
             gpointer       user_data)
{
  guint *frames = user_data;

  (*frames)++;
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

  gtk_widget_queue_draw (window);
  g_assert_true (cc_test_wait_until (two_frames, &frames, TIMEOUT));
  gtk_widget_remove_tick_callback (window, id);
}

static GtkColumnViewColumn *
status_column (GtkColumnView *view)
{
  GListModel *columns = gtk_column_view_get_columns (view);

  for (guint i = 0; i < g_list_model_get_n_items (columns); i++)
    {
      g_autoptr(GtkColumnViewColumn) column = g_list_model_get_item (columns, i);

      if (g_strcmp0 (gtk_column_view_column_get_title (column), _("Status")) == 0)
        return column;
    }
  g_error ("no Status column");
  return NULL;
}

static gboolean
width_set (gpointer user_data)
{
  return gtk_column_view_column_get_fixed_width (user_data) > 0;
}

/* Shows @status in @cell as the cell itself would (the spinner instead of
 * the icon while starting, the error button on a failure with a message),
 * in the current language. */
static void
arrange (CcStatusCell     *cell,
         CcWorkflowStatus  status)
{
  GtkWidget *spinner = cc_test_ui_find (GTK_WIDGET (cell), GTK_TYPE_SPINNER, NULL, NULL);
  GtkWidget *icon = cc_test_ui_find (GTK_WIDGET (cell), GTK_TYPE_IMAGE, NULL, NULL);
  GtkWidget *label = cc_test_ui_find (GTK_WIDGET (cell), GTK_TYPE_LABEL, NULL, NULL);
  GtkWidget *button = cc_test_ui_find (GTK_WIDGET (cell), GTK_TYPE_BUTTON, NULL, NULL);

  g_assert_nonnull (spinner);
  g_assert_nonnull (icon);
  g_assert_nonnull (label);
  g_assert_nonnull (button);
  /* The icon is the cell's own, not the one inside the button. */
  g_assert_false (gtk_widget_is_ancestor (icon, button));
  gtk_widget_set_visible (spinner, status == CC_WORKFLOW_STARTING);
  gtk_widget_set_visible (icon, status != CC_WORKFLOW_STARTING);
  gtk_widget_set_visible (button, status == CC_WORKFLOW_FAILED);
  gtk_label_set_label (GTK_LABEL (label), cc_workflow_status_to_label (status));
}

/* Opens the window in the current locale, checks that every status fits
 * in the Status column and that the widest fills it, and returns the
 * column's width. */
static int
check_status_column (const char *lang)
{
  static const CcWorkflowStatus statuses[] = {
    CC_WORKFLOW_STOPPED, CC_WORKFLOW_STARTING, CC_WORKFLOW_RUNNING, CC_WORKFLOW_FAILED,
  };
  CcTestUiWorld world;
  GtkWidget *window;
  GtkColumnView *view;
  GtkColumnViewColumn *column;
  CcStatusCell *cell;
  GtkWidget *label;
  int width;
  int widest = 0;

  cc_test_ui_world_init (&world, TRUE);
  window = GTK_WIDGET (cc_test_ui_world_open (&world));
  g_assert_true (cc_test_wait_until (cc_test_cells_rows_shown, window, TIMEOUT));
  view = GTK_COLUMN_VIEW (cc_test_ui_find (window, GTK_TYPE_COLUMN_VIEW, NULL, NULL));
  g_assert_nonnull (view);
  column = status_column (view);
  g_assert_true (cc_test_wait_until (width_set, column, TIMEOUT));
  width = gtk_column_view_column_get_fixed_width (column);

  cell = cc_test_cells_find_status (window, "optinout");
  g_assert_nonnull (cell);
  label = cc_test_ui_find (GTK_WIDGET (cell), GTK_TYPE_LABEL, NULL, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (statuses); i++)
    {
      const char *word = cc_workflow_status_to_label (statuses[i]);
      int natural = 0;
      int cell_natural = 0;

      arrange (cell, statuses[i]);
      wait_for_layout (window);
      /* The column may not have moved for it. */
      g_assert_cmpint (gtk_column_view_column_get_fixed_width (column), ==, width);

      gtk_widget_measure (label, GTK_ORIENTATION_HORIZONTAL, -1, NULL, &natural, NULL, NULL);
      g_test_message ("%s: \"%s\" needs %d px, has %d px (column %d px)",
                      lang, word, natural, gtk_widget_get_width (label), width);
      g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (label)), ==, word);
      g_assert_cmpint (natural, >, 0);
      g_assert_cmpint (natural, <=, gtk_widget_get_width (label));
      g_assert_false (pango_layout_is_ellipsized (gtk_label_get_layout (GTK_LABEL (label))));

      gtk_widget_measure (GTK_WIDGET (cell), GTK_ORIENTATION_HORIZONTAL, -1,
                          NULL, &cell_natural, NULL, NULL);
      widest = MAX (widest, cell_natural);
    }
  /* And no wider than the widest status needs. */
  g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (cell)), ==, widest);

  if (g_strcmp0 (lang, "C") != 0)
    {
      g_autofree char *name = g_strconcat ("main-window-", lang, "-failed-status", NULL);
      g_autofree char *png = cc_test_ui_save_png (window, name);

      g_assert_true (g_file_test (png, G_FILE_TEST_IS_REGULAR));
    }

  cc_test_ui_world_clear (&world);
  return width;
}

static void
test_status_width (void)
{
  int translated;
  int untranslated;

  translated = check_status_column (expected->lang);

  /* The same window untranslated: gettext follows the locale at once. */
  g_assert_nonnull (setlocale (LC_ALL, "C"));
  g_assert_cmpstr (cc_workflow_status_to_label (CC_WORKFLOW_RUNNING), ==, "Running");
  untranslated = check_status_column ("C");
  g_assert_nonnull (setlocale (LC_ALL, ""));
  g_assert_cmpstr (cc_workflow_status_to_label (CC_WORKFLOW_RUNNING), ==, expected->running);

  g_test_message ("Status column: %d px in %s, %d px in C", translated, expected->lang, untranslated);
  /* "Wird ausgeführt" and "Fehlgeschlagen" are longer than any English word. */
  if (g_str_equal (expected->lang, "de"))
    g_assert_cmpint (translated, >, untranslated);
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
  g_test_add_func ("/ui/i18n/status-width", test_status_width);
  return g_test_run ();
}
