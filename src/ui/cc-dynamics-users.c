/* cc-dynamics-users.c — the Dynamics 365 connection's extra application
 * users in the connections dialog. Adding or removing one takes effect
 * at once (the engine saves it), as the workflows only pick users up at
 * their next start; a refusal is shown under the Add button, in the
 * engine's words, and the secret typed stays in its row.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "cc-dynamics-users.h"

struct _CcDynamicsUsers
{
  AdwPreferencesGroup  parent_instance;

  AdwEntryRow         *client_id_row;
  AdwPasswordEntryRow *secret_row;
  AdwActionRow        *add_row;

  CcEngine            *engine;
  GPtrArray           *user_rows;   /* the rows of the users shown */
};

G_DEFINE_FINAL_TYPE (CcDynamicsUsers, cc_dynamics_users, ADW_TYPE_PREFERENCES_GROUP)

static void reload (CcDynamicsUsers *self);

static void
show_result (CcDynamicsUsers *self,
             const char      *text)
{
  adw_action_row_set_subtitle (self->add_row, text);
}

static void
on_remove_clicked (GtkButton       *button,
                   CcDynamicsUsers *self)
{
  const char *client_id = g_object_get_data (G_OBJECT (button), "client-id");
  g_autoptr(GError) error = NULL;
  g_autofree char *done = NULL;

  if (!cc_engine_remove_dynamics_user (self->engine, client_id, &error))
    {
      show_result (self, error->message);
      return;
    }
  done = g_strdup_printf (_("The application user %s is removed."), client_id);
  show_result (self, done);
  reload (self);
}

static GtkWidget *
user_row (CcDynamicsUsers *self,
          const char      *client_id)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *remove = gtk_button_new_from_icon_name ("user-trash-symbolic");
  g_autofree char *label = g_strdup_printf (_("Remove the application user %s"), client_id);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), client_id);
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), _("Client secret stored"));
  gtk_widget_set_valign (remove, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (remove, "flat");
  gtk_widget_set_tooltip_text (remove, label);
  gtk_accessible_update_property (GTK_ACCESSIBLE (remove), GTK_ACCESSIBLE_PROPERTY_LABEL, label,
                                  -1);
  g_object_set_data_full (G_OBJECT (remove), "client-id", g_strdup (client_id), g_free);
  g_signal_connect (remove, "clicked", G_CALLBACK (on_remove_clicked), self);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), remove);
  return row;
}

/* The users first, then the rows that add one: the group appends, so
 * those are taken out and put back after the users. */
static void
reload (CcDynamicsUsers *self)
{
  AdwPreferencesGroup *group = ADW_PREFERENCES_GROUP (self);
  GtkWidget *form[] = { GTK_WIDGET (self->client_id_row), GTK_WIDGET (self->secret_row),
                        GTK_WIDGET (self->add_row) };
  g_auto(GStrv) users = cc_engine_list_dynamics_users (self->engine);

  for (guint i = 0; i < self->user_rows->len; i++)
    adw_preferences_group_remove (group, g_ptr_array_index (self->user_rows, i));
  g_ptr_array_set_size (self->user_rows, 0);
  for (guint i = 0; i < G_N_ELEMENTS (form); i++)
    {
      g_object_ref (form[i]);
      adw_preferences_group_remove (group, form[i]);
    }
  for (guint i = 0; users[i] != NULL; i++)
    {
      GtkWidget *row = user_row (self, users[i]);

      g_ptr_array_add (self->user_rows, row);
      adw_preferences_group_add (group, row);
    }
  for (guint i = 0; i < G_N_ELEMENTS (form); i++)
    {
      adw_preferences_group_add (group, form[i]);
      g_object_unref (form[i]);
    }
}

static void
on_add_clicked (CcDynamicsUsers *self)
{
  g_autofree char *client_id = g_strstrip (g_strdup (gtk_editable_get_text (
                                 GTK_EDITABLE (self->client_id_row))));
  const char *secret = gtk_editable_get_text (GTK_EDITABLE (self->secret_row));
  g_autoptr(GError) error = NULL;
  g_autofree char *done = NULL;

  if (!cc_engine_add_dynamics_user (self->engine, client_id, secret, &error))
    {
      show_result (self, error->message);
      return;
    }
  done = g_strdup_printf (_("The application user %s is added."), client_id);
  show_result (self, done);
  gtk_editable_set_text (GTK_EDITABLE (self->client_id_row), "");
  gtk_editable_set_text (GTK_EDITABLE (self->secret_row), "");
  reload (self);
}

void
cc_dynamics_users_set_engine (CcDynamicsUsers *self,
                              CcEngine        *engine)
{
  g_return_if_fail (CC_IS_DYNAMICS_USERS (self));
  g_return_if_fail (CC_IS_ENGINE (engine));

  g_set_object (&self->engine, engine);
  reload (self);
}

const char *
cc_dynamics_users_get_result (CcDynamicsUsers *self)
{
  const char *text;

  g_return_val_if_fail (CC_IS_DYNAMICS_USERS (self), NULL);
  text = adw_action_row_get_subtitle (self->add_row);
  return text != NULL ? text : "";
}

static void
cc_dynamics_users_dispose (GObject *object)
{
  CcDynamicsUsers *self = CC_DYNAMICS_USERS (object);

  g_clear_object (&self->engine);
  g_clear_pointer (&self->user_rows, g_ptr_array_unref);
  gtk_widget_dispose_template (GTK_WIDGET (self), CC_TYPE_DYNAMICS_USERS);
  G_OBJECT_CLASS (cc_dynamics_users_parent_class)->dispose (object);
}

static void
cc_dynamics_users_class_init (CcDynamicsUsersClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = cc_dynamics_users_dispose;
  gtk_widget_class_set_template_from_resource (widget_class, APP_PATH "/ui/cc-dynamics-users.ui");
  gtk_widget_class_bind_template_child (widget_class, CcDynamicsUsers, client_id_row);
  gtk_widget_class_bind_template_child (widget_class, CcDynamicsUsers, secret_row);
  gtk_widget_class_bind_template_child (widget_class, CcDynamicsUsers, add_row);
  gtk_widget_class_bind_template_callback (widget_class, on_add_clicked);
}

/* libadwaita 1.2 leaves the button that shows the typed secret unnamed:
 * it says what its tooltip says. */
static void
name_peek_button (GtkWidget *widget)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      if (GTK_IS_BUTTON (child))
        gtk_accessible_update_property (GTK_ACCESSIBLE (child), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                        _("Show Text"), -1);
      name_peek_button (child);
    }
}

static void
cc_dynamics_users_init (CcDynamicsUsers *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  name_peek_button (GTK_WIDGET (self->secret_row));
  self->user_rows = g_ptr_array_new ();
}
