/* cc-tooltips.c — tooltips that stay out of the way.
 *
 * GTK 4.8 wraps a long tooltip at a fraction of the width it gives the
 * tooltip window, which leaves a box twice as wide as its text; an
 * unwrapped label of our own is exactly as wide as the text. And a menu
 * button's tooltip, still shown when its popover opens, lies over the
 * first items of the menu.
 */
#include "config.h"

#include "cc-tooltips.h"

static gboolean
on_query_tooltip (GtkWidget  *widget,
                  int         x,
                  int         y,
                  gboolean    keyboard,
                  GtkTooltip *tooltip,
                  gpointer    user_data)
{
  const char *text = gtk_widget_get_tooltip_text (widget);
  GtkWidget *label;

  if (text == NULL || *text == '\0')
    return FALSE;
  label = gtk_label_new (text);
  gtk_label_set_xalign (GTK_LABEL (label), 0.0);
  gtk_tooltip_set_custom (tooltip, label);
  return TRUE;
}

void
cc_tooltips_one_line (GtkWidget *widget)
{
  g_return_if_fail (GTK_IS_WIDGET (widget));
  g_signal_connect (widget, "query-tooltip", G_CALLBACK (on_query_tooltip), NULL);
}

static void
on_popover_visible (GtkPopover    *popover,
                    GParamSpec    *pspec,
                    GtkMenuButton *button)
{
  gtk_widget_set_has_tooltip (GTK_WIDGET (button),
                              !gtk_widget_get_visible (GTK_WIDGET (popover)));
}

static void
on_popover_changed (GtkMenuButton *button)
{
  GtkPopover *popover = gtk_menu_button_get_popover (button);

  if (popover != NULL)
    g_signal_connect_object (popover, "notify::visible", G_CALLBACK (on_popover_visible),
                             button, 0);
}

void
cc_tooltips_quiet_while_open (GtkMenuButton *button)
{
  g_return_if_fail (GTK_IS_MENU_BUTTON (button));

  /* A menu model makes a new popover: follow it. */
  g_signal_connect (button, "notify::popover", G_CALLBACK (on_popover_changed), NULL);
  on_popover_changed (button);
}
