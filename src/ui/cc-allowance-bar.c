/* cc-allowance-bar.c — Campaign's API allowance in the window. */
#include "config.h"

#include <glib/gi18n.h>

#include "cc-allowance-bar.h"

struct _CcAllowanceBar
{
  GtkWidget       parent_instance;

  GtkImage       *icon;
  GtkLabel       *label;
  CcApiAllowance *allowance;
  gulong          notify_id;
};

G_DEFINE_FINAL_TYPE (CcAllowanceBar, cc_allowance_bar, GTK_TYPE_WIDGET)

static char *
format_count (guint64 value)
{
  return g_strdup_printf ("%'" G_GUINT64_FORMAT, value);
}

char *
cc_allowance_bar_format (guint64 calls_today,
                         guint64 daily_budget,
                         guint   max_calls_per_second,
                         gint64  waiting_until)
{
  g_autoptr(GPtrArray) parts = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *today = format_count (calls_today);

  if (daily_budget > 0)
    {
      g_autofree char *budget = format_count (daily_budget);

      g_ptr_array_add (parts, g_strdup_printf (_("Campaign API calls today (UTC): %s of %s"),
                                               today, budget));
    }
  else
    g_ptr_array_add (parts, g_strdup_printf (_("Campaign API calls today (UTC): %s"), today));
  if (max_calls_per_second > 0)
    {
      g_autofree char *cap = format_count (max_calls_per_second);

      g_ptr_array_add (parts, g_strdup_printf (_("at most %s a second"), cap));
    }
  if (waiting_until > 0)
    {
      g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (waiting_until / G_USEC_PER_SEC);
      g_autoptr(GDateTime) local = g_date_time_to_local (utc);
      g_autofree char *at = g_date_time_format (local, "%H:%M");

      g_ptr_array_add (parts, g_strdup_printf (_("today’s allowance is used up: workflows "
                                                 "that call Campaign wait until %s (midnight "
                                                 "UTC)"), at));
    }
  g_ptr_array_add (parts, NULL);
  /* Translators: the separator between the parts of the API allowance line */
  return g_strjoinv (_(" · "), (char **) parts->pdata);
}

static void
update (CcAllowanceBar *self)
{
  g_autofree char *text = NULL;
  gboolean used_up;

  if (self->allowance == NULL)
    {
      gtk_label_set_label (self->label, "");
      gtk_widget_set_visible (GTK_WIDGET (self->icon), FALSE);
      return;
    }
  used_up = cc_api_allowance_get_waiting_until (self->allowance) > 0;
  text = cc_allowance_bar_format (cc_api_allowance_get_calls_today (self->allowance),
                                  cc_api_allowance_get_daily_budget (self->allowance),
                                  cc_api_allowance_get_max_calls_per_second (self->allowance),
                                  cc_api_allowance_get_waiting_until (self->allowance));
  gtk_label_set_label (self->label, text);
  gtk_widget_set_visible (GTK_WIDGET (self->icon), used_up);
  if (used_up)
    gtk_widget_add_css_class (GTK_WIDGET (self), "warning");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self), "warning");
}

void
cc_allowance_bar_set_allowance (CcAllowanceBar *self,
                                CcApiAllowance *allowance)
{
  g_return_if_fail (CC_IS_ALLOWANCE_BAR (self));
  g_return_if_fail (allowance == NULL || CC_IS_API_ALLOWANCE (allowance));

  if (self->allowance != NULL)
    g_clear_signal_handler (&self->notify_id, self->allowance);
  g_set_object (&self->allowance, allowance);
  if (allowance != NULL)
    self->notify_id = g_signal_connect_object (allowance, "notify", G_CALLBACK (update), self,
                                               G_CONNECT_SWAPPED);
  update (self);
}

const char *
cc_allowance_bar_get_text (CcAllowanceBar *self)
{
  g_return_val_if_fail (CC_IS_ALLOWANCE_BAR (self), NULL);
  return gtk_label_get_label (self->label);
}

static void
cc_allowance_bar_dispose (GObject *object)
{
  CcAllowanceBar *self = CC_ALLOWANCE_BAR (object);

  cc_allowance_bar_set_allowance (self, NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), CC_TYPE_ALLOWANCE_BAR);

  G_OBJECT_CLASS (cc_allowance_bar_parent_class)->dispose (object);
}

static void
cc_allowance_bar_class_init (CcAllowanceBarClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cc_allowance_bar_dispose;

  gtk_widget_class_set_template_from_resource (widget_class, APP_PATH "/ui/cc-allowance-bar.ui");
  gtk_widget_class_bind_template_child (widget_class, CcAllowanceBar, icon);
  gtk_widget_class_bind_template_child (widget_class, CcAllowanceBar, label);
  gtk_widget_class_set_css_name (widget_class, "cc-allowance-bar");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_STATUS);
}

static void
cc_allowance_bar_init (CcAllowanceBar *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
