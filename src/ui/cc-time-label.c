/* cc-time-label.c — a relative time that stays true while on screen.
 *
 * "2 minutes ago" is only right for a minute; the label redraws its words
 * on a slow timer while it is mapped, and not at all when it is not. It is
 * as wide as the widest thing it can say in the current language and font,
 * so that the column it sits in keeps its width as the words change.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "cc-time-label.h"

#define REFRESH_SECONDS 15

struct _CcTimeLabel
{
  GtkWidget  parent_instance;

  GtkLabel  *label;
  gint64     time_us;
  guint      refresh_id;
  guint      width_id;
};

enum {
  PROP_0,
  PROP_TIME,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (CcTimeLabel, cc_time_label, GTK_TYPE_WIDGET)

static char *
format_local (gint64      time_us,
              const char *format)
{
  g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (time_us / G_USEC_PER_SEC);
  g_autoptr(GDateTime) local = NULL;

  if (utc == NULL)
    return g_strdup ("");
  local = g_date_time_to_local (utc);
  return g_date_time_format (local, format);
}

char *
cc_time_label_format_absolute (gint64 time_us)
{
  /* Translators: a date and time as g_date_time_format() writes it, in
   * the order and words of your language; keep the four-digit year (%Y) */
  return format_local (time_us, C_("date and time", "%-d %b %Y, %H:%M:%S"));
}

char *
cc_time_label_format (gint64 time_us,
                      gint64 now_us)
{
  gint64 seconds;

  if (time_us <= 0)
    /* Translators: last activity of a workflow that never ran */
    return g_strdup (C_("time", "Never"));

  seconds = (now_us - time_us) / G_USEC_PER_SEC;
  if (seconds < 60)
    return g_strdup (_("Just now"));
  if (seconds < 60 * 60)
    {
      int minutes = (int) (seconds / 60);
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d minute ago", "%d minutes ago",
                                           minutes), minutes);
    }
  if (seconds < 24 * 60 * 60)
    {
      int hours = (int) (seconds / (60 * 60));
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d hour ago", "%d hours ago",
                                           hours), hours);
    }
  /* Older: the day (the tooltip has the time too). */
  return format_local (time_us, C_("date", "%-d %b %Y"));
}

static void
refresh (CcTimeLabel *self)
{
  g_autofree char *text = cc_time_label_format (self->time_us, g_get_real_time ());

  gtk_label_set_label (self->label, text);
  if (self->time_us > 0)
    {
      g_autofree char *absolute = cc_time_label_format_absolute (self->time_us);
      gtk_widget_set_tooltip_text (GTK_WIDGET (self), absolute);
    }
  else
    gtk_widget_set_tooltip_text (GTK_WIDGET (self), NULL);
}

static gboolean
on_refresh (gpointer user_data)
{
  refresh (user_data);
  return G_SOURCE_CONTINUE;
}

CcTimeLabel *
cc_time_label_new (void)
{
  return g_object_new (CC_TYPE_TIME_LABEL, NULL);
}

gint64
cc_time_label_get_time (CcTimeLabel *self)
{
  g_return_val_if_fail (CC_IS_TIME_LABEL (self), 0);
  return self->time_us;
}

const char *
cc_time_label_get_text (CcTimeLabel *self)
{
  g_return_val_if_fail (CC_IS_TIME_LABEL (self), NULL);
  return gtk_label_get_label (self->label);
}

void
cc_time_label_set_time (CcTimeLabel *self,
                        gint64       time_us)
{
  g_return_if_fail (CC_IS_TIME_LABEL (self));

  if (self->time_us == time_us)
    return;
  self->time_us = time_us;
  refresh (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TIME]);
}

static int
text_width (CcTimeLabel *self,
            char        *text)
{
  g_autoptr(PangoLayout) layout = gtk_widget_create_pango_layout (GTK_WIDGET (self->label), text);
  int width = 0;

  pango_layout_get_pixel_size (layout, &width, NULL);
  g_free (text);
  return width;
}

/* What the label can say: never, now, the longest minutes and hours,
 * and a date of each month (their names differ in length). */
static int
widest_text (CcTimeLabel *self)
{
  gint64 now = g_get_real_time ();
  g_autoptr(GDateTime) today = g_date_time_new_now_local ();
  int widest = 0;

  widest = MAX (widest, text_width (self, cc_time_label_format (0, now)));
  widest = MAX (widest, text_width (self, cc_time_label_format (now, now)));
  widest = MAX (widest, text_width (self, cc_time_label_format (now - 59 * G_TIME_SPAN_MINUTE, now)));
  widest = MAX (widest, text_width (self, cc_time_label_format (now - 23 * G_TIME_SPAN_HOUR, now)));
  for (int month = 1; month <= 12; month++)
    {
      g_autoptr(GDateTime) day = g_date_time_new_local (g_date_time_get_year (today), month, 28,
                                                        23, 59, 59);

      widest = MAX (widest, text_width (self, cc_time_label_format (g_date_time_to_unix (day)
                                                                    * G_USEC_PER_SEC, now)));
    }
  return widest;
}

static gboolean
keep_width (gpointer user_data)
{
  CcTimeLabel *self = user_data;

  self->width_id = 0;
  gtk_widget_set_size_request (GTK_WIDGET (self->label), widest_text (self), -1);
  return G_SOURCE_REMOVE;
}

/* A new font (or language's style): measured again once it applies. */
static void
cc_time_label_css_changed (GtkWidget         *widget,
                           GtkCssStyleChange *change)
{
  CcTimeLabel *self = CC_TIME_LABEL (widget);

  GTK_WIDGET_CLASS (cc_time_label_parent_class)->css_changed (widget, change);
  if (self->width_id == 0)
    self->width_id = g_idle_add (keep_width, self);
}

static void
cc_time_label_map (GtkWidget *widget)
{
  CcTimeLabel *self = CC_TIME_LABEL (widget);

  GTK_WIDGET_CLASS (cc_time_label_parent_class)->map (widget);
  g_clear_handle_id (&self->width_id, g_source_remove);
  keep_width (self);
  refresh (self);
  if (self->refresh_id == 0)
    self->refresh_id = g_timeout_add_seconds (REFRESH_SECONDS, on_refresh, self);
}

static void
cc_time_label_unmap (GtkWidget *widget)
{
  CcTimeLabel *self = CC_TIME_LABEL (widget);

  g_clear_handle_id (&self->refresh_id, g_source_remove);
  GTK_WIDGET_CLASS (cc_time_label_parent_class)->unmap (widget);
}

static void
cc_time_label_dispose (GObject *object)
{
  CcTimeLabel *self = CC_TIME_LABEL (object);

  g_clear_handle_id (&self->refresh_id, g_source_remove);
  g_clear_handle_id (&self->width_id, g_source_remove);
  if (self->label != NULL)
    {
      gtk_widget_unparent (GTK_WIDGET (self->label));
      self->label = NULL;
    }

  G_OBJECT_CLASS (cc_time_label_parent_class)->dispose (object);
}

static void
cc_time_label_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  CcTimeLabel *self = CC_TIME_LABEL (object);

  switch (prop_id)
    {
    case PROP_TIME:
      g_value_set_int64 (value, self->time_us);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cc_time_label_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  CcTimeLabel *self = CC_TIME_LABEL (object);

  switch (prop_id)
    {
    case PROP_TIME:
      cc_time_label_set_time (self, g_value_get_int64 (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cc_time_label_class_init (CcTimeLabelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cc_time_label_dispose;
  object_class->get_property = cc_time_label_get_property;
  object_class->set_property = cc_time_label_set_property;
  widget_class->map = cc_time_label_map;
  widget_class->unmap = cc_time_label_unmap;
  widget_class->css_changed = cc_time_label_css_changed;

  properties[PROP_TIME] =
    g_param_spec_int64 ("time", NULL, NULL, 0, G_MAXINT64, 0,
                        G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "cc-time-label");
}

static void
cc_time_label_init (CcTimeLabel *self)
{
  self->label = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_xalign (self->label, 0.0);
  gtk_label_set_ellipsize (self->label, PANGO_ELLIPSIZE_END);
  gtk_widget_set_parent (GTK_WIDGET (self->label), GTK_WIDGET (self));
  refresh (self);
}
