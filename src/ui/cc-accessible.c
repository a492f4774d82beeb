/* cc-accessible.c — names for assistive technologies where GTK 4.8 and
 * libadwaita 1.2 leave none, or a doubled one.
 *
 * What a screen reader says for a widget is its accessible name. GTK 4.8
 * names a button with a mnemonic twice ("_Save Save": its label property
 * as written, then its label child), libadwaita 1.2 gives a plain row and
 * the switch of an expander row no name, and a drop-down's button and its
 * list of choices go unnamed. Such widgets
 * come from templates, from libadwaita's internals and from list
 * factories alike, so the names are given when each widget is realized,
 * in one place, rule by rule. Widgets whose names say more than their
 * labels (an icon button, a row's Start button) are named where they are
 * made; these rules only fill in what is missing.
 */
#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "cc-accessible.h"

static void
set_label (GtkWidget  *widget,
           const char *label)
{
  gtk_accessible_update_property (GTK_ACCESSIBLE (widget),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, label,
                                  -1);
}

static void
labelled_by (GtkWidget *widget,
             GtkWidget *label)
{
  gtk_accessible_update_relation (GTK_ACCESSIBLE (widget),
                                  GTK_ACCESSIBLE_RELATION_LABELLED_BY, label, NULL,
                                  -1);
}

/* "Set Up _Connections" → "Set Up Connections". */
static char *
strip_mnemonic (const char *label)
{
  g_autoptr(GString) plain = g_string_new (NULL);

  for (const char *p = label; *p != '\0'; p++)
    {
      if (*p == '_' && p[1] == '_')
        p++;
      else if (*p == '_')
        continue;
      g_string_append_c (plain, *p);
    }
  return g_string_free (g_steal_pointer (&plain), FALSE);
}

/* The label text of a button-like widget that underlines a mnemonic. */
static const char *
mnemonic_label (GtkWidget *widget)
{
  GtkWidget *child = NULL;

  if (GTK_IS_BUTTON (widget))
    child = gtk_button_get_child (GTK_BUTTON (widget));
  else if (GTK_IS_MENU_BUTTON (widget))
    child = gtk_menu_button_get_child (GTK_MENU_BUTTON (widget));
  /* An icon and a label: the label names the button. */
  if (ADW_IS_BUTTON_CONTENT (child))
    return adw_button_content_get_label (ADW_BUTTON_CONTENT (child));

  if (GTK_IS_BUTTON (widget) && gtk_button_get_use_underline (GTK_BUTTON (widget)))
    return gtk_button_get_label (GTK_BUTTON (widget));
  if (GTK_IS_MENU_BUTTON (widget) && gtk_menu_button_get_use_underline (GTK_MENU_BUTTON (widget)))
    return gtk_menu_button_get_label (GTK_MENU_BUTTON (widget));
  if (GTK_IS_CHECK_BUTTON (widget) && gtk_check_button_get_use_underline (GTK_CHECK_BUTTON (widget)))
    return gtk_check_button_get_label (GTK_CHECK_BUTTON (widget));
  return NULL;
}

/* GTK 4.8 names such a button by its label as written and by its label
 * child (or not at all, when its child is an icon and a label): the name
 * is the plain label, once. */
static void
name_mnemonic_button (GtkWidget *widget)
{
  const char *label = mnemonic_label (widget);
  g_autofree char *plain = NULL;

  if (label == NULL)
    return;
  plain = strip_mnemonic (label);
  gtk_accessible_reset_relation (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_RELATION_LABELLED_BY);
  set_label (widget, plain);
}

void
cc_accessible_rename_button (GtkWidget *button)
{
  g_return_if_fail (GTK_IS_BUTTON (button));
  name_mnemonic_button (button);
}

static void
copy_title (GtkWidget         *widget,
            GParamSpec        *pspec,
            AdwPreferencesRow *row)
{
  const char *title = adw_preferences_row_get_title (row);

  if (title != NULL && *title != '\0')
    set_label (widget, title);
}

/* Names @widget by @row's title, now and whenever it changes. */
static void
follow_title (GtkWidget *widget,
              GtkWidget *row)
{
  if (g_object_get_data (G_OBJECT (widget), "cc-a11y-title") == row)
    return;
  g_object_set_data (G_OBJECT (widget), "cc-a11y-title", row);
  /* The title is the whole name (a header row points at an empty label). */
  gtk_accessible_reset_relation (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_RELATION_LABELLED_BY);
  g_signal_connect_object (row, "notify::title", G_CALLBACK (copy_title), widget,
                           G_CONNECT_SWAPPED);
  copy_title (widget, NULL, ADW_PREFERENCES_ROW (row));
}

/* A libadwaita row is announced by its title: action and entry rows
 * are named so by libadwaita already, plain and expander rows are not. */
static void
name_row (GtkWidget *widget)
{
  if (ADW_IS_PREFERENCES_ROW (widget) && !ADW_IS_ACTION_ROW (widget) && !ADW_IS_ENTRY_ROW (widget))
    follow_title (widget, widget);
}

/* The expander row @widget is an inner part of (its lists, its header
 * row, the widgets of the header), or NULL. Its header is a row that
 * shows the expander's own title; a row added to it has another. */
static GtkWidget *
expander_of (GtkWidget *widget)
{
  GtkWidget *row = gtk_widget_get_ancestor (widget, ADW_TYPE_EXPANDER_ROW);
  GtkWidget *inner;

  if (row == NULL || row == widget)
    return NULL;
  inner = gtk_widget_get_ancestor (widget, ADW_TYPE_PREFERENCES_ROW);
  if (inner == row)
    return row;
  if (g_strcmp0 (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (inner)),
                 adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row))) != 0)
    return NULL;
  return gtk_widget_get_ancestor (gtk_widget_get_parent (inner), ADW_TYPE_EXPANDER_ROW) == row
         ? row : NULL;
}

/* An expander row is made of lists and a header row of its own, and a
 * switch when it can be turned off: each says the row's title. */
static void
name_expander_parts (GtkWidget *widget)
{
  GtkWidget *row = expander_of (widget);

  if (row == NULL)
    return;
  if (GTK_IS_LIST_BOX (widget) || GTK_IS_LIST_BOX_ROW (widget))
    follow_title (widget, row);
  else if (GTK_IS_SWITCH (widget) && adw_expander_row_get_show_enable_switch (ADW_EXPANDER_ROW (row)))
    follow_title (widget, row);
}

/* A drop-down (or a combo row) names its button and its list of choices,
 * and each choice is named by the label it shows. */
static void
name_choice_parts (GtkWidget *widget)
{
  GtkWidget *choice = gtk_widget_get_ancestor (widget, GTK_TYPE_DROP_DOWN);

  if (choice == NULL)
    choice = gtk_widget_get_ancestor (widget, ADW_TYPE_COMBO_ROW);
  if (choice == NULL || widget == choice)
    return;

  /* A combo row names itself through its title label, which another
   * widget cannot point at: the title is copied. */
  if ((GTK_IS_TOGGLE_BUTTON (widget) || GTK_IS_LIST_VIEW (widget)) && ADW_IS_COMBO_ROW (choice))
    follow_title (widget, choice);
  else if (GTK_IS_TOGGLE_BUTTON (widget) || GTK_IS_LIST_VIEW (widget))
    labelled_by (widget, choice);
  else if (g_str_equal (G_OBJECT_TYPE_NAME (widget), "GtkListItemWidget"))
    {
      GtkWidget *child = gtk_widget_get_first_child (widget);

      while (child != NULL && !GTK_IS_LABEL (child))
        child = gtk_widget_get_first_child (child);
      if (child != NULL)
        labelled_by (widget, child);
    }
}

/* A menu button's popover is named as the button is. */
static void
name_popover (GtkWidget *widget)
{
  GtkWidget *parent = gtk_widget_get_parent (widget);

  if (GTK_IS_POPOVER (widget) && GTK_IS_MENU_BUTTON (parent))
    labelled_by (widget, parent);
}

static void
name_widget (GtkWidget *widget)
{
  name_mnemonic_button (widget);
  name_row (widget);
  name_choice_parts (widget);
  name_expander_parts (widget);
  name_popover (widget);
}

static void
name_tree (GtkWidget *widget)
{
  name_widget (widget);
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    name_tree (child);
}

/* A window (or popover) is realized before its parts: all of them are
 * named then, those on pages not shown yet too (they are in the tree a
 * screen reader walks). A part added later is named when it is realized. */
static gboolean
on_realize (GSignalInvocationHint *hint,
            guint                  n_values,
            const GValue          *values,
            gpointer               user_data)
{
  GtkWidget *widget = g_value_get_object (&values[0]);

  if (GTK_IS_NATIVE (widget))
    name_tree (widget);
  else
    name_widget (widget);
  return TRUE;
}

void
cc_accessible_install (void)
{
  static gsize installed;

  if (g_once_init_enter (&installed))
    {
      /* The signal exists once the class does (kept for the process). */
      g_type_class_ref (GTK_TYPE_WIDGET);
      g_signal_add_emission_hook (g_signal_lookup ("realize", GTK_TYPE_WIDGET), 0,
                                  on_realize, NULL, NULL);
      g_once_init_leave (&installed, TRUE);
    }
}

void
cc_accessible_name_list_row (GtkWidget  *inside_row,
                             const char *name)
{
  GtkWidget *row = inside_row;

  /* The row widget is the ancestor the list view holds directly (a
   * column view's rows are in a list view of its own). */
  while (row != NULL && gtk_widget_get_parent (row) != NULL
         && !GTK_IS_LIST_VIEW (gtk_widget_get_parent (row)))
    row = gtk_widget_get_parent (row);
  if (row != NULL && gtk_widget_get_parent (row) != NULL)
    set_label (row, name);
}

void
cc_accessible_name_column_view (GtkColumnView *view,
                                const char    *name)
{
  GtkWidget *header = gtk_widget_get_first_child (GTK_WIDGET (view));
  GtkWidget *list = gtk_widget_get_last_child (GTK_WIDGET (view));

  g_return_if_fail (GTK_IS_COLUMN_VIEW (view));

  set_label (GTK_WIDGET (view), name);
  /* Translators: the accessible name of a table's row of column titles */
  if (header != NULL && header != list)
    set_label (header, C_("accessible", "Column titles"));
  if (list != NULL)
    set_label (list, name);
}

/* The first list box under @widget, not looking into rows. */
static GtkWidget *
find_list_box (GtkWidget *widget)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found;

      if (GTK_IS_LIST_BOX (child))
        return child;
      if (!GTK_IS_LIST_BOX_ROW (child) && (found = find_list_box (child)) != NULL)
        return found;
    }
  return NULL;
}

void
cc_accessible_name_group_list (AdwPreferencesGroup *group,
                               const char          *name)
{
  GtkWidget *list;

  g_return_if_fail (ADW_IS_PREFERENCES_GROUP (group));

  if ((list = find_list_box (GTK_WIDGET (group))) != NULL)
    set_label (list, name);
}
