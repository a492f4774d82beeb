/* cc-window-columns.c — the cells of the workflow table.
 *
 * Every cell binds to its CcWorkflow's properties while it shows that
 * workflow (bind → unbind), so what the table shows is always the
 * engine's state and nothing is copied.
 *
 * The Status column is exactly as wide as its widest word in the current
 * language needs, measured on a cell once one is shown, and again when the
 * font changes; so no status is ellipsized and no width is guessed.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "cc-actions-cell.h"
#include "cc-failed-cell.h"
#include "cc-status-cell.h"
#include "cc-time-label.h"
#include "cc-title-cell.h"
#include "cc-window-private.h"

typedef enum
{
  COLUMN_WORKFLOW,
  COLUMN_STATUS,
  COLUMN_BACKLOG,
  COLUMN_WRITTEN,
  COLUMN_FAILED,
  COLUMN_ACTIVITY,
  COLUMN_ACTIONS,
} Column;

#define BINDINGS_KEY "cc-bindings"

static gboolean
format_count (GBinding     *binding,
              const GValue *from,
              GValue       *to,
              gpointer      user_data)
{
  /* %' groups digits as the user's locale does. */
  g_value_take_string (to, g_strdup_printf ("%'" G_GUINT64_FORMAT, g_value_get_uint64 (from)));
  return TRUE;
}

static void
keep_binding (GtkListItem *item,
              GBinding    *binding)
{
  GPtrArray *bindings = g_object_get_data (G_OBJECT (item), BINDINGS_KEY);

  if (bindings == NULL)
    {
      bindings = g_ptr_array_new ();
      g_object_set_data_full (G_OBJECT (item), BINDINGS_KEY, bindings,
                              (GDestroyNotify) g_ptr_array_unref);
    }
  g_ptr_array_add (bindings, binding);
}

/* Room for a count up to a million, so that the columns do not move as
 * the counts grow (a narrow window has none to spare for more). */
#define COUNT_CHARS 7

static GtkWidget *
make_count_label (void)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 1.0);
  gtk_label_set_width_chars (GTK_LABEL (label), COUNT_CHARS);
  gtk_widget_add_css_class (label, "numeric");
  return label;
}

static void
on_setup (GtkSignalListItemFactory *factory,
          GtkListItem              *item,
          gpointer                  user_data)
{
  Column column = GPOINTER_TO_INT (user_data);
  GtkWidget *child = NULL;

  switch (column)
    {
    case COLUMN_WORKFLOW:
      child = GTK_WIDGET (cc_title_cell_new ());
      break;
    case COLUMN_STATUS:
      child = GTK_WIDGET (cc_status_cell_new ());
      break;
    case COLUMN_BACKLOG:
    case COLUMN_WRITTEN:
      child = make_count_label ();
      break;
    case COLUMN_FAILED:
      child = GTK_WIDGET (cc_failed_cell_new ());
      break;
    case COLUMN_ACTIVITY:
      child = GTK_WIDGET (cc_time_label_new ());
      break;
    case COLUMN_ACTIONS:
      child = GTK_WIDGET (cc_actions_cell_new ());
      break;
    default:
      g_assert_not_reached ();
    }
  gtk_list_item_set_child (item, child);
  /* Rows are selected by the keyboard; the buttons inside take focus. */
  gtk_list_item_set_activatable (item, column != COLUMN_ACTIONS && column != COLUMN_FAILED);
}

static void
on_bind (GtkSignalListItemFactory *factory,
         GtkListItem              *item,
         gpointer                  user_data)
{
  Column column = GPOINTER_TO_INT (user_data);
  CcWorkflow *workflow = gtk_list_item_get_item (item);
  GtkWidget *child = gtk_list_item_get_child (item);
  const GBindingFlags flags = G_BINDING_SYNC_CREATE;

  switch (column)
    {
    case COLUMN_WORKFLOW:
    case COLUMN_STATUS:
    case COLUMN_FAILED:
    case COLUMN_ACTIONS:
      cc_workflow_cell_set_workflow (CC_WORKFLOW_CELL (child), workflow);
      break;
    case COLUMN_BACKLOG:
      keep_binding (item, g_object_bind_property_full (workflow, "backlog", child, "label", flags,
                                                       format_count, NULL, NULL, NULL));
      break;
    case COLUMN_WRITTEN:
      keep_binding (item, g_object_bind_property_full (workflow, "written", child, "label", flags,
                                                       format_count, NULL, NULL, NULL));
      break;
    case COLUMN_ACTIVITY:
      keep_binding (item, g_object_bind_property (workflow, "last-activity", child, "time", flags));
      break;
    default:
      g_assert_not_reached ();
    }
}

static void
on_unbind (GtkSignalListItemFactory *factory,
           GtkListItem              *item,
           gpointer                  user_data)
{
  GtkWidget *child = gtk_list_item_get_child (item);
  GPtrArray *bindings = g_object_get_data (G_OBJECT (item), BINDINGS_KEY);

  if (bindings != NULL)
    {
      for (guint i = 0; i < bindings->len; i++)
        g_binding_unbind (g_ptr_array_index (bindings, i));
      g_ptr_array_set_size (bindings, 0);
    }

  if (CC_IS_WORKFLOW_CELL (child))
    cc_workflow_cell_set_workflow (CC_WORKFLOW_CELL (child), NULL);
}

/* A status cell under @widget that shows a workflow, or NULL. */
static CcStatusCell *
find_status_cell (GtkWidget *widget)
{
  if (CC_IS_STATUS_CELL (widget)
      && cc_status_cell_get_workflow (CC_STATUS_CELL (widget)) != NULL)
    return CC_STATUS_CELL (widget);

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      CcStatusCell *cell = find_status_cell (child);

      if (cell != NULL)
        return cell;
    }
  return NULL;
}

/* What the column's cell widget around @cell adds to it on either side. */
static int
cell_box_width (GtkWidget *cell)
{
  GtkWidget *parent = gtk_widget_get_parent (cell);
  GtkStyleContext *context;
  GtkBorder margin, border, padding;

  if (parent == NULL)
    return 0;
  context = gtk_widget_get_style_context (parent);
  gtk_style_context_get_margin (context, &margin);
  gtk_style_context_get_border (context, &border);
  gtk_style_context_get_padding (context, &padding);
  return margin.left + margin.right + border.left + border.right + padding.left + padding.right;
}

static gboolean
measure_status_width (gpointer user_data)
{
  CcWindow *self = user_data;
  CcStatusCell *cell;

  self->status_width_idle = 0;
  cell = find_status_cell (GTK_WIDGET (self->column_view));
  /* None shown yet: the next one bound tries again. */
  if (cell == NULL || gtk_widget_get_root (GTK_WIDGET (cell)) != GTK_ROOT (self))
    return G_SOURCE_REMOVE;

  gtk_column_view_column_set_fixed_width (self->status_column,
                                          cc_status_cell_get_needed_width (cell)
                                          + cell_box_width (GTK_WIDGET (cell)));
  self->status_width_known = TRUE;
  return G_SOURCE_REMOVE;
}

/* After the frame being laid out (when a cell is bound, styles are up to
 * date and the cell is in the window), not inside its size allocation. */
static void
queue_status_width (CcWindow *self)
{
  if (self->status_width_idle == 0)
    self->status_width_idle = g_idle_add (measure_status_width, self);
}

static void
on_status_bind (GtkSignalListItemFactory *factory,
                GtkListItem              *item,
                CcWindow                 *self)
{
  if (!self->status_width_known)
    queue_status_width (self);
}

static gboolean
on_font_tick (GtkWidget     *widget,
              GdkFrameClock *clock,
              gpointer       user_data)
{
  CcWindow *self = CC_WINDOW (widget);

  /* The new font is applied in this frame's styles; measure after it. */
  self->status_width_tick = 0;
  queue_status_width (self);
  return G_SOURCE_REMOVE;
}

static void
on_font_changed (CcWindow *self)
{
  if (self->status_width_tick == 0)
    self->status_width_tick = gtk_widget_add_tick_callback (GTK_WIDGET (self), on_font_tick,
                                                            NULL, NULL);
}

static void
set_factory (GtkColumnViewColumn *view_column,
             Column               column)
{
  g_autoptr(GtkListItemFactory) factory = gtk_signal_list_item_factory_new ();

  g_signal_connect (factory, "setup", G_CALLBACK (on_setup), GINT_TO_POINTER (column));
  g_signal_connect (factory, "bind", G_CALLBACK (on_bind), GINT_TO_POINTER (column));
  g_signal_connect (factory, "unbind", G_CALLBACK (on_unbind), GINT_TO_POINTER (column));
  gtk_column_view_column_set_factory (view_column, factory);
}

void
cc_window_setup_columns (CcWindow *self)
{
  GtkSettings *settings;

  set_factory (self->workflow_column, COLUMN_WORKFLOW);
  set_factory (self->status_column, COLUMN_STATUS);
  set_factory (self->backlog_column, COLUMN_BACKLOG);
  set_factory (self->written_column, COLUMN_WRITTEN);
  set_factory (self->failed_column, COLUMN_FAILED);
  set_factory (self->activity_column, COLUMN_ACTIVITY);
  set_factory (self->actions_column, COLUMN_ACTIONS);

  g_signal_connect_object (gtk_column_view_column_get_factory (self->status_column), "bind",
                           G_CALLBACK (on_status_bind), self, G_CONNECT_DEFAULT);
  settings = gtk_widget_get_settings (GTK_WIDGET (self));
  self->font_handler = g_signal_connect_swapped (settings, "notify::gtk-font-name",
                                                 G_CALLBACK (on_font_changed), self);
  self->dpi_handler = g_signal_connect_swapped (settings, "notify::gtk-xft-dpi",
                                                G_CALLBACK (on_font_changed), self);
}

void
cc_window_teardown_columns (CcWindow *self)
{
  GtkSettings *settings = gtk_widget_get_settings (GTK_WIDGET (self));

  g_clear_signal_handler (&self->font_handler, settings);
  g_clear_signal_handler (&self->dpi_handler, settings);
  g_clear_handle_id (&self->status_width_idle, g_source_remove);
  if (self->status_width_tick != 0)
    {
      gtk_widget_remove_tick_callback (GTK_WIDGET (self), self->status_width_tick);
      self->status_width_tick = 0;
    }
}
