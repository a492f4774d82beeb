/* cc-activity-graph.c — backlog and throughput over the last hour or day.
 *
 * The samples are the engine's (CcActivity), kept whether the graph is
 * open or not, so the graph shows what happened before it was opened.
 * Each line has its own scale, because a backlog of millions and a rate
 * of hundreds must share one picture: the backlog's on the left, the
 * rate's on the right, each in its line's colour, both starting at 0 and
 * rounded up so that their middle mark is a whole number. The time axis
 * is marked in local clock times, every ten minutes for the hour and
 * every three hours for the day. The graph moves on with every sample.
 */
#include "config.h"

#include <math.h>
#include <glib/gi18n.h>

#include "cc-activity-graph.h"

#define MARGIN 8.0
#define GAP 6.0
#define SWATCH 10.0
/* The graph's text is a little smaller than the window's. */
#define TEXT_SCALE 0.85

struct _CcActivityGraph
{
  GtkWidget       parent_instance;

  CcActivity     *activity;
  gulong          sampled_id;
  CcActivitySpan  span;
};

G_DEFINE_FINAL_TYPE (CcActivityGraph, cc_activity_graph, GTK_TYPE_WIDGET)

/* Adwaita's blue 3 and green 5 read well on light and dark. */
static const GdkRGBA backlog_color = { 0.21, 0.52, 0.89, 1.0 };
static const GdkRGBA rate_color = { 0.15, 0.64, 0.41, 1.0 };

CcActivityGraph *
cc_activity_graph_new (void)
{
  return g_object_new (CC_TYPE_ACTIVITY_GRAPH, NULL);
}

static GArray *
get_samples (CcActivityGraph *self,
             gint64           now)
{
  if (self->activity == NULL)
    return g_array_new (FALSE, FALSE, sizeof (CcActivitySample));
  return cc_activity_get_samples (self->activity, self->span, now);
}

guint
cc_activity_graph_get_n_samples (CcActivityGraph *self)
{
  g_autoptr(GArray) samples = NULL;

  g_return_val_if_fail (CC_IS_ACTIVITY_GRAPH (self), 0);

  samples = get_samples (self, g_get_real_time ());
  return samples->len;
}

/* ---- scales -------------------------------------------------------- */

/* The top of a scale for values up to @max: 2, 4 or 10 times a power of
 * ten, so that its half is a whole number too. */
static double
scale_top (double max)
{
  static const double steps[] = { 2, 4, 10 };

  for (double power = 1; power < 1e18; power *= 10)
    for (guint i = 0; i < G_N_ELEMENTS (steps); i++)
      if (steps[i] * power >= max)
        return steps[i] * power;
  return max;
}

static char *
format_tick (double value)
{
  return g_strdup_printf ("%'.0f", value);
}

/* The times to mark on the axis of @span ending @now: every ten minutes
 * (three hours for the day) of the local clock. gint64 unix µs. */
static GArray *
time_ticks (CcActivitySpan span,
            gint64         now)
{
  gint64 start = now - cc_activity_span_length (span);
  int step = span == CC_ACTIVITY_HOUR ? 10 : 3 * 60;   /* minutes */
  g_autoptr(GDateTime) first = g_date_time_new_from_unix_local (start / G_USEC_PER_SEC);
  int minute = g_date_time_get_hour (first) * 60 + g_date_time_get_minute (first);
  GArray *ticks = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GDateTime) tick = NULL;

  minute -= minute % step;
  tick = g_date_time_new_local (g_date_time_get_year (first), g_date_time_get_month (first),
                                g_date_time_get_day_of_month (first), minute / 60, minute % 60, 0);
  while (tick != NULL && g_date_time_to_unix (tick) * G_USEC_PER_SEC <= now)
    {
      gint64 at = g_date_time_to_unix (tick) * G_USEC_PER_SEC;
      GDateTime *next;

      if (at >= start)
        g_array_append_val (ticks, at);
      next = g_date_time_add_minutes (tick, step);
      g_date_time_unref (tick);
      tick = next;
    }
  return ticks;
}

static char *
format_time_tick (gint64 at)
{
  g_autoptr(GDateTime) local = g_date_time_new_from_unix_local (at / G_USEC_PER_SEC);

  return g_date_time_format (local, "%H:%M");
}

GStrv
cc_activity_graph_dup_time_labels (CcActivityGraph *self)
{
  g_autoptr(GArray) ticks = NULL;
  g_autoptr(GStrvBuilder) labels = g_strv_builder_new ();

  g_return_val_if_fail (CC_IS_ACTIVITY_GRAPH (self), NULL);

  ticks = time_ticks (self->span, g_get_real_time ());
  for (guint i = 0; i < ticks->len; i++)
    {
      g_autofree char *label = format_time_tick (g_array_index (ticks, gint64, i));

      g_strv_builder_add (labels, label);
    }
  return g_strv_builder_end (labels);
}

/* ---- drawing ------------------------------------------------------- */

typedef struct
{
  cairo_t *cr;
  double   left, top, width, height;   /* the plot */
  gint64   start, end;                 /* its time span */
} Plot;

static PangoLayout *
make_layout (GtkWidget  *widget,
             const char *text)
{
  PangoLayout *layout = gtk_widget_create_pango_layout (widget, text);
  PangoAttrList *attributes = pango_attr_list_new ();

  pango_attr_list_insert (attributes, pango_attr_scale_new (TEXT_SCALE));
  pango_layout_set_attributes (layout, attributes);
  pango_attr_list_unref (attributes);
  return layout;
}

static void
text_size (GtkWidget  *widget,
           const char *text,
           int        *width,
           int        *height)
{
  g_autoptr(PangoLayout) layout = make_layout (widget, text);

  pango_layout_get_pixel_size (layout, width, height);
}

/* @text with its left (@align 0), middle (0.5) or right (1) at @x, its
 * top at @y. */
static void
draw_text (GtkWidget     *widget,
           cairo_t       *cr,
           double         x,
           double         y,
           double         align,
           const GdkRGBA *color,
           const char    *text)
{
  g_autoptr(PangoLayout) layout = make_layout (widget, text);
  int width = 0;

  pango_layout_get_pixel_size (layout, &width, NULL);
  gdk_cairo_set_source_rgba (cr, color);
  cairo_move_to (cr, x - align * width, y);
  pango_cairo_show_layout (cr, layout);
}

static double
x_of (const Plot *plot,
      gint64      time_us)
{
  return plot->left + plot->width * (double) (time_us - plot->start) / (double) (plot->end - plot->start);
}

static void
draw_line (const Plot    *plot,
           GArray        *samples,
           gboolean       backlog,
           double         top_value,
           const GdkRGBA *color)
{
  cairo_t *cr = plot->cr;

  cairo_set_line_width (cr, 2.0);
  cairo_set_line_join (cr, CAIRO_LINE_JOIN_ROUND);
  /* A single sample shows as a dot. */
  cairo_set_line_cap (cr, CAIRO_LINE_CAP_ROUND);
  gdk_cairo_set_source_rgba (cr, color);
  for (guint i = 0; i < samples->len; i++)
    {
      const CcActivitySample *s = &g_array_index (samples, CcActivitySample, i);
      double value = backlog ? (double) s->backlog : s->records_per_second;
      double x = x_of (plot, s->time_us);
      double y = plot->top + plot->height * (1.0 - MIN (value / top_value, 1.0));

      if (i == 0)
        cairo_move_to (cr, x, y);
      cairo_line_to (cr, x, y);
    }
  cairo_stroke (cr);
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

/* The grid: a line at 0, half and the top of the scales, one at each
 * time mark, with the marks' clock times below. */
static void
draw_grid (GtkWidget     *widget,
           const Plot    *plot,
           GArray        *ticks,
           const GdkRGBA *fg)
{
  cairo_t *cr = plot->cr;
  GdkRGBA grid = *fg;

  grid.alpha = 0.15;
  gdk_cairo_set_source_rgba (cr, &grid);
  cairo_set_line_width (cr, 1.0);
  for (int i = 0; i <= 2; i++)
    {
      double y = floor (plot->top + plot->height * i / 2.0) + 0.5;

      cairo_move_to (cr, plot->left, y);
      cairo_line_to (cr, plot->left + plot->width, y);
    }
  for (guint i = 0; i < ticks->len; i++)
    {
      double x = floor (x_of (plot, g_array_index (ticks, gint64, i))) + 0.5;

      cairo_move_to (cr, x, plot->top);
      cairo_line_to (cr, x, plot->top + plot->height + 3);
    }
  cairo_stroke (cr);

  for (guint i = 0; i < ticks->len; i++)
    {
      g_autofree char *label = format_time_tick (g_array_index (ticks, gint64, i));

      draw_text (widget, cr, x_of (plot, g_array_index (ticks, gint64, i)),
                 plot->top + plot->height + 4, 0.5, fg, label);
    }
}

/* The numbers of one scale at 0, half and the top, at @x. */
static void
draw_scale (GtkWidget     *widget,
            const Plot    *plot,
            double         x,
            double         align,
            double         top_value,
            int            text_height,
            const GdkRGBA *color)
{
  for (int i = 0; i <= 2; i++)
    {
      g_autofree char *label = format_tick (top_value * i / 2.0);
      double y = plot->top + plot->height * (1.0 - i / 2.0) - text_height / 2.0;

      draw_text (widget, plot->cr, x, y, align, color, label);
    }
}

static void
draw_legend (GtkWidget     *widget,
             cairo_t       *cr,
             double         width,
             int            text_height,
             const GdkRGBA *fg)
{
  /* Translators: the legend of the activity graph's backlog line and
   * of its scale, on the left */
  const char *backlog = _("Backlog (records)");
  /* Translators: the legend of the activity graph's throughput line and
   * of its scale, on the right */
  const char *rate = _("Written (records per second)");
  double swatch_y = MARGIN + (text_height - SWATCH) / 2.0;
  int rate_width = 0;

  text_size (widget, rate, &rate_width, NULL);
  gdk_cairo_set_source_rgba (cr, &backlog_color);
  cairo_rectangle (cr, MARGIN, swatch_y, SWATCH, SWATCH);
  cairo_fill (cr);
  draw_text (widget, cr, MARGIN + SWATCH + GAP, MARGIN, 0.0, fg, backlog);

  gdk_cairo_set_source_rgba (cr, &rate_color);
  cairo_rectangle (cr, width - MARGIN - rate_width - GAP - SWATCH, swatch_y, SWATCH, SWATCH);
  cairo_fill (cr);
  draw_text (widget, cr, width - MARGIN, MARGIN, 1.0, fg, rate);
}

/* The width of the widest number of a scale up to @top_value. */
static int
scale_width (GtkWidget *widget,
             double     top_value)
{
  g_autofree char *label = format_tick (top_value);
  int width = 0;

  text_size (widget, label, &width, NULL);
  return width;
}

static void
cc_activity_graph_snapshot (GtkWidget   *widget,
                            GtkSnapshot *snapshot)
{
  CcActivityGraph *self = CC_ACTIVITY_GRAPH (widget);
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  gint64 now = g_get_real_time ();
  g_autoptr(GArray) samples = get_samples (self, now);
  g_autoptr(GArray) ticks = time_ticks (self->span, now);
  double max_backlog = 0, max_rate = 0, backlog_top, rate_top;
  int text_height = 0, left_width, right_width;
  Plot plot;
  GdkRGBA fg;

  for (guint i = 0; i < samples->len; i++)
    {
      const CcActivitySample *s = &g_array_index (samples, CcActivitySample, i);

      max_backlog = MAX (max_backlog, (double) s->backlog);
      max_rate = MAX (max_rate, s->records_per_second);
    }
  backlog_top = scale_top (max_backlog);
  rate_top = scale_top (max_rate);
  text_size (widget, "0:", NULL, &text_height);
  left_width = scale_width (widget, backlog_top);
  right_width = scale_width (widget, rate_top);

  plot.left = MARGIN + left_width + GAP;
  plot.top = MARGIN + text_height + 2 * GAP;
  plot.width = width - plot.left - right_width - GAP - MARGIN;
  plot.height = height - plot.top - MARGIN - text_height - GAP;
  plot.end = now;
  plot.start = now - cc_activity_span_length (self->span);
  if (plot.width <= 0 || plot.height <= 0)
    return;

  get_foreground (widget, &fg);
  plot.cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (0, 0, width, height));
  draw_legend (widget, plot.cr, width, text_height, &fg);
  draw_grid (widget, &plot, ticks, &fg);
  draw_scale (widget, &plot, plot.left - GAP, 1.0, backlog_top, text_height, &backlog_color);
  draw_scale (widget, &plot, plot.left + plot.width + GAP, 0.0, rate_top, text_height,
              &rate_color);
  if (samples->len > 0)
    {
      draw_line (&plot, samples, TRUE, backlog_top, &backlog_color);
      draw_line (&plot, samples, FALSE, rate_top, &rate_color);
    }
  cairo_destroy (plot.cr);
}

/* ---- following the activity ---------------------------------------- */

/* What a screen reader says of the picture: its span as the name, the
 * values of now and the highest as the description. */
static void
update_accessible (CcActivityGraph *self)
{
  g_autoptr(GArray) samples = get_samples (self, g_get_real_time ());
  const char *name = self->span == CC_ACTIVITY_HOUR
                     ? _("Backlog and records written per second over the last hour")
                     : _("Backlog and records written per second over the last 24 hours");
  g_autofree char *description = NULL;
  guint64 max_backlog = 0;
  double max_rate = 0;

  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL, name, -1);
  if (samples->len == 0)
    {
      gtk_accessible_reset_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION);
      return;
    }
  for (guint i = 0; i < samples->len; i++)
    {
      const CcActivitySample *s = &g_array_index (samples, CcActivitySample, i);

      max_backlog = MAX (max_backlog, s->backlog);
      max_rate = MAX (max_rate, s->records_per_second);
    }
  {
    const CcActivitySample *last = &g_array_index (samples, CcActivitySample, samples->len - 1);
    g_autofree char *backlog_now = g_strdup_printf ("%'" G_GUINT64_FORMAT, last->backlog);
    g_autofree char *backlog_max = g_strdup_printf ("%'" G_GUINT64_FORMAT, max_backlog);
    g_autofree char *rate_now = g_strdup_printf ("%'.1f", last->records_per_second);
    g_autofree char *rate_max = g_strdup_printf ("%'.1f", max_rate);

    /* Translators: the activity graph read out: the backlog now and its
     * highest, then the records written per second now and the highest */
    description = g_strdup_printf (_("Backlog now %s records, at most %s. Written now %s "
                                     "records per second, at most %s."),
                                   backlog_now, backlog_max, rate_now, rate_max);
  }
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                  description, -1);
}

static void
on_sampled (CcActivityGraph *self)
{
  update_accessible (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
cc_activity_graph_set_activity (CcActivityGraph *self,
                                CcActivity      *activity)
{
  g_return_if_fail (CC_IS_ACTIVITY_GRAPH (self));
  g_return_if_fail (activity == NULL || CC_IS_ACTIVITY (activity));

  if (self->activity != NULL)
    g_clear_signal_handler (&self->sampled_id, self->activity);
  g_set_object (&self->activity, activity);
  if (activity != NULL)
    self->sampled_id = g_signal_connect_swapped (activity, "sampled", G_CALLBACK (on_sampled),
                                                 self);
  on_sampled (self);
}

void
cc_activity_graph_set_span (CcActivityGraph *self,
                            CcActivitySpan   span)
{
  g_return_if_fail (CC_IS_ACTIVITY_GRAPH (self));

  self->span = span;
  on_sampled (self);
}

CcActivitySpan
cc_activity_graph_get_span (CcActivityGraph *self)
{
  g_return_val_if_fail (CC_IS_ACTIVITY_GRAPH (self), CC_ACTIVITY_HOUR);
  return self->span;
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
      *minimum = 320;
      *natural = 600;
    }
  else
    {
      *minimum = 200;
      *natural = 280;
    }
}

static void
cc_activity_graph_dispose (GObject *object)
{
  CcActivityGraph *self = CC_ACTIVITY_GRAPH (object);

  if (self->activity != NULL)
    g_clear_signal_handler (&self->sampled_id, self->activity);
  g_clear_object (&self->activity);

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
  self->span = CC_ACTIVITY_HOUR;
  update_accessible (self);
}
