/* cc-activity-graph.c — backlog and throughput over the last minutes.
 *
 * Samples are taken once a second from the workflow's properties (the
 * engine already averages records/s) into a ring that spans
 * CC_ACTIVITY_GRAPH_SPAN_SECONDS; each line is scaled to its own maximum,
 * which the legend states, so a backlog of millions and a rate of
 * hundreds can share one picture.
 */
#include "config.h"

#include <math.h>
#include <glib/gi18n.h>

#include "cc-activity-graph.h"

#define N_SAMPLES CC_ACTIVITY_GRAPH_SPAN_SECONDS
#define MARGIN 8.0
#define LEGEND_HEIGHT 22.0

typedef struct
{
  gint64  time_us;
  guint64 backlog;
  double  rate;
} Sample;

struct _CcActivityGraph
{
  GtkWidget   parent_instance;

  CcWorkflow *workflow;
  guint       sample_id;
  Sample      samples[N_SAMPLES];
  guint       first;      /* oldest sample */
  guint       n;          /* samples held */
};

G_DEFINE_FINAL_TYPE (CcActivityGraph, cc_activity_graph, GTK_TYPE_WIDGET)

CcActivityGraph *
cc_activity_graph_new (void)
{
  return g_object_new (CC_TYPE_ACTIVITY_GRAPH, NULL);
}

guint
cc_activity_graph_get_n_samples (CcActivityGraph *self)
{
  g_return_val_if_fail (CC_IS_ACTIVITY_GRAPH (self), 0);
  return self->n;
}

void
cc_activity_graph_add_sample (CcActivityGraph *self,
                              gint64           time_us,
                              guint64          backlog,
                              double           records_per_second)
{
  Sample *sample;

  g_return_if_fail (CC_IS_ACTIVITY_GRAPH (self));

  if (self->n < N_SAMPLES)
    sample = &self->samples[(self->first + self->n++) % N_SAMPLES];
  else
    {
      sample = &self->samples[self->first];
      self->first = (self->first + 1) % N_SAMPLES;
    }
  sample->time_us = time_us;
  sample->backlog = backlog;
  sample->rate = records_per_second;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static gboolean
on_sample (gpointer user_data)
{
  CcActivityGraph *self = user_data;

  if (self->workflow != NULL)
    cc_activity_graph_add_sample (self, g_get_real_time (),
                                  cc_workflow_get_backlog (self->workflow),
                                  cc_workflow_get_records_per_second (self->workflow));
  return G_SOURCE_CONTINUE;
}

void
cc_activity_graph_set_workflow (CcActivityGraph *self,
                                CcWorkflow      *workflow)
{
  g_return_if_fail (CC_IS_ACTIVITY_GRAPH (self));

  g_clear_handle_id (&self->sample_id, g_source_remove);
  g_set_object (&self->workflow, workflow);
  if (workflow != NULL)
    {
      on_sample (self);
      self->sample_id = g_timeout_add_seconds (1, on_sample, self);
    }
}

static const Sample *
nth (CcActivityGraph *self,
     guint            i)
{
  return &self->samples[(self->first + i) % N_SAMPLES];
}

static void
get_foreground (GtkWidget *widget,
                GdkRGBA   *color)
{
#if GTK_CHECK_VERSION (4, 10, 0)
  gtk_widget_get_color (widget, color);
#else
  gtk_style_context_get_color (gtk_widget_get_style_context (widget), color);
#endif
}

static void
draw_line (CcActivityGraph *self,
           cairo_t         *cr,
           double           left,
           double           top,
           double           width,
           double           height,
           gint64           now,
           double           max,
           gboolean         backlog,
           const GdkRGBA   *color)
{
  gboolean started = FALSE;

  if (max <= 0)
    max = 1;
  cairo_set_line_width (cr, 2.0);
  cairo_set_line_join (cr, CAIRO_LINE_JOIN_ROUND);
  gdk_cairo_set_source_rgba (cr, color);
  for (guint i = 0; i < self->n; i++)
    {
      const Sample *s = nth (self, i);
      double age = (double) (now - s->time_us) / G_USEC_PER_SEC;
      double value = backlog ? (double) s->backlog : s->rate;
      double x = left + width * (1.0 - age / CC_ACTIVITY_GRAPH_SPAN_SECONDS);
      double y = top + height * (1.0 - value / max);

      if (x < left)
        continue;
      if (!started)
        cairo_move_to (cr, x, y);
      else
        cairo_line_to (cr, x, y);
      started = TRUE;
    }
  if (started)
    cairo_stroke (cr);
}

static void
draw_text (GtkWidget     *widget,
           cairo_t       *cr,
           double         x,
           double         y,
           const GdkRGBA *color,
           const char    *text)
{
  g_autoptr(PangoLayout) layout = gtk_widget_create_pango_layout (widget, text);

  gdk_cairo_set_source_rgba (cr, color);
  cairo_move_to (cr, x, y);
  pango_cairo_show_layout (cr, layout);
}

static void
cc_activity_graph_snapshot (GtkWidget   *widget,
                            GtkSnapshot *snapshot)
{
  CcActivityGraph *self = CC_ACTIVITY_GRAPH (widget);
  /* Adwaita's blue 3 and green 4 read well on light and dark. */
  const GdkRGBA backlog_color = { 0.21, 0.52, 0.89, 1.0 };
  const GdkRGBA rate_color = { 0.18, 0.76, 0.49, 1.0 };
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  double left = MARGIN, top = MARGIN + LEGEND_HEIGHT;
  double plot_width = width - 2 * MARGIN;
  double plot_height = height - 2 * MARGIN - LEGEND_HEIGHT;
  g_autofree char *backlog_text = NULL;
  g_autofree char *max_text = NULL;
  g_autofree char *rate_text = NULL;
  GdkRGBA fg, grid;
  guint64 max_backlog = 0;
  double max_rate = 0;
  gint64 now = g_get_real_time ();
  cairo_t *cr;

  if (plot_width <= 0 || plot_height <= 0)
    return;

  for (guint i = 0; i < self->n; i++)
    {
      max_backlog = MAX (max_backlog, nth (self, i)->backlog);
      max_rate = MAX (max_rate, nth (self, i)->rate);
    }

  get_foreground (widget, &fg);
  grid = fg;
  grid.alpha = 0.15;

  cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (0, 0, width, height));

  /* A line a minute, and the frame. */
  gdk_cairo_set_source_rgba (cr, &grid);
  cairo_set_line_width (cr, 1.0);
  for (int minute = 0; minute <= CC_ACTIVITY_GRAPH_SPAN_SECONDS / 60; minute++)
    {
      double x = floor (left + plot_width * minute * 60.0 / CC_ACTIVITY_GRAPH_SPAN_SECONDS) + 0.5;
      cairo_move_to (cr, x, top);
      cairo_line_to (cr, x, top + plot_height);
    }
  cairo_move_to (cr, left, floor (top + plot_height) + 0.5);
  cairo_line_to (cr, left + plot_width, floor (top + plot_height) + 0.5);
  cairo_stroke (cr);

  draw_line (self, cr, left, top, plot_width, plot_height, now, (double) max_backlog, TRUE,
             &backlog_color);
  draw_line (self, cr, left, top, plot_width, plot_height, now, max_rate, FALSE, &rate_color);

  /* Translators: graph legend; %s is the highest backlog shown */
  max_text = g_strdup_printf ("%'" G_GUINT64_FORMAT, max_backlog);
  backlog_text = g_strdup_printf (_("Backlog (up to %s)"), max_text);
  /* Translators: graph legend; %.1f is the highest rate shown */
  rate_text = g_strdup_printf (_("Records per second (up to %.1f)"), max_rate);
  cairo_rectangle (cr, left, MARGIN + 5, 10, 10);
  gdk_cairo_set_source_rgba (cr, &backlog_color);
  cairo_fill (cr);
  draw_text (widget, cr, left + 16, MARGIN, &fg, backlog_text);
  cairo_rectangle (cr, left + plot_width / 2, MARGIN + 5, 10, 10);
  gdk_cairo_set_source_rgba (cr, &rate_color);
  cairo_fill (cr);
  draw_text (widget, cr, left + plot_width / 2 + 16, MARGIN, &fg, rate_text);

  cairo_destroy (cr);
}

static void
cc_activity_graph_measure (GtkWidget      *widget,
                           GtkOrientation  orientation,
                           int             for_size,
                           int            *minimum,
                           int            *natural,
                           int            *minimum_baseline,
                           int            *natural_baseline)
{
  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      *minimum = 240;
      *natural = 600;
    }
  else
    {
      *minimum = 160;
      *natural = 240;
    }
}

static void
cc_activity_graph_dispose (GObject *object)
{
  CcActivityGraph *self = CC_ACTIVITY_GRAPH (object);

  g_clear_handle_id (&self->sample_id, g_source_remove);
  g_clear_object (&self->workflow);

  G_OBJECT_CLASS (cc_activity_graph_parent_class)->dispose (object);
}

static void
cc_activity_graph_class_init (CcActivityGraphClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cc_activity_graph_dispose;
  widget_class->snapshot = cc_activity_graph_snapshot;
  widget_class->measure = cc_activity_graph_measure;

  gtk_widget_class_set_css_name (widget_class, "cc-activity-graph");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
cc_activity_graph_init (CcActivityGraph *self)
{
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Backlog and records per second over the last ten minutes"),
                                  -1);
}
