/* cc-combo-choices.c — combo rows that show their choices whole.
 *
 * libadwaita 1.2 cuts a combo row's choices to a few words, in its open
 * list too ("Dynamics 365 to Cam…"), and the chosen one shares the row
 * with the title. Here the chosen value is the row's subtitle, where it
 * has the row's width, and the list's items are whole labels, with the
 * check mark on the chosen one as libadwaita draws it. (A row with a
 * subtitle of its own keeps it, and the chosen value beside it.)
 */
#include "config.h"

#include "cc-combo-choices.h"

static void
update_check (GtkListItem *item,
              GParamSpec  *pspec,
              AdwComboRow *row)
{
  GtkWidget *box = gtk_list_item_get_child (item);
  GtkWidget *check = gtk_widget_get_last_child (box);

  gtk_widget_set_opacity (check, gtk_list_item_get_position (item)
                                   == adw_combo_row_get_selected (row) ? 1.0 : 0.0);
}

static void
on_setup (GtkSignalListItemFactory *factory,
          GtkListItem              *item,
          AdwComboRow              *row)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *label = gtk_label_new (NULL);
  /* The choice is said by its label and its selected state. */
  GtkWidget *check = g_object_new (GTK_TYPE_IMAGE,
                                   "icon-name", "object-select-symbolic",
                                   "accessible-role", GTK_ACCESSIBLE_ROLE_PRESENTATION,
                                   NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 0.0);
  gtk_widget_set_hexpand (label, TRUE);
  gtk_box_append (GTK_BOX (box), label);
  gtk_box_append (GTK_BOX (box), check);
  gtk_list_item_set_child (item, box);
  /* The check follows the row's choice while the item shows. */
  g_signal_connect_object (row, "notify::selected", G_CALLBACK (update_check), item,
                           G_CONNECT_SWAPPED);
}

static void
on_bind (GtkSignalListItemFactory *factory,
         GtkListItem              *item,
         AdwComboRow              *row)
{
  GtkStringObject *string = gtk_list_item_get_item (item);
  GtkWidget *label = gtk_widget_get_first_child (gtk_list_item_get_child (item));

  gtk_label_set_label (GTK_LABEL (label), gtk_string_object_get_string (string));
  update_check (item, NULL, row);
}

static void
show_whole (AdwComboRow *row)
{
  g_autoptr(GtkListItemFactory) factory = gtk_signal_list_item_factory_new ();
  const char *subtitle;

  g_signal_connect (factory, "setup", G_CALLBACK (on_setup), row);
  g_signal_connect (factory, "bind", G_CALLBACK (on_bind), row);
  adw_combo_row_set_list_factory (row, factory);
  /* A row that explains itself in its subtitle keeps it. */
  subtitle = adw_action_row_get_subtitle (ADW_ACTION_ROW (row));
  if (subtitle == NULL || *subtitle == '\0')
    adw_combo_row_set_use_subtitle (row, TRUE);
}

void
cc_combo_choices_show_whole (GtkWidget *root)
{
  g_return_if_fail (GTK_IS_WIDGET (root));

  if (ADW_IS_COMBO_ROW (root))
    {
      GListModel *model = adw_combo_row_get_model (ADW_COMBO_ROW (root));

      if (GTK_IS_STRING_LIST (model))
        show_whole (ADW_COMBO_ROW (root));
    }
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    cc_combo_choices_show_whole (child);
}
