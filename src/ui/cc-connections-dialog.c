/* cc-connections-dialog.c — where both services are set up.
 *
 * Settings go to the configuration file through the engine; a secret
 * goes to the keyring only and is never shown again: its row stays empty
 * and says that one is stored, and typing a new one replaces it. Test
 * saves what was typed, then asks the engine to authenticate and read.
 */
#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "cc-accessible.h"
#include "cc-campaign-client.h"
#include "cc-check-dialog.h"
#include "cc-config.h"
#include "cc-connections-dialog.h"
#include "cc-dynamics-users.h"
#include "cc-error.h"
#include "cc-prepare-dialog.h"
#include "cc-questions.h"
#include "cc-token-source.h"

/* A row of the form, in order; its title is the engine's label for the
 * setting (cc_config_connection_label), so that a refusal from any
 * client names it the same way. */
typedef struct
{
  const char *key;
  const char *fallback;   /* shown when nothing is stored */
} Setting;

static const Setting dynamics_settings[] = {
  { "url", NULL },
  { "tenant", NULL },
  { "client-id", NULL },
  { "secret", NULL },
  { "token-url", NULL },
};

static const Setting campaign_settings[] = {
  { "org", NULL },
  { "api-key", NULL },
  { "secret", NULL },
  { "api-url", CC_CAMPAIGN_DEFAULT_API_URL },
  { "ims-url", CC_IMS_DEFAULT_URL },
  { "ims-scope", CC_IMS_DEFAULT_SCOPE },
  { "journal-url", NULL },
  { "max-calls-per-second", NULL },
  { "daily-call-budget", NULL },
};

typedef struct
{
  const char      *system;
  const Setting   *settings;
  guint            n_settings;
  GHashTable      *rows;          /* key → AdwEntryRow */
  GtkLabel        *stored_label;  /* "A secret is stored" */
  AdwActionRow    *result_row;
  GtkImage        *result_icon;
  GtkSpinner      *spinner;
  gboolean         dirty;
  gboolean         testing;
  gboolean         test_ok;
  char            *result;
} System;

struct _CcConnectionsDialog
{
  AdwPreferencesWindow  parent_instance;

  CcEngine             *engine;
  GCancellable         *cancellable;
  gboolean              loading;
  gboolean              may_close;   /* the user chose to discard */
  System                dynamics;
  System                campaign;

  AdwPreferencesGroup  *sandbox_group;
  CcDynamicsUsers      *users_group;
  AdwPreferencesGroup  *dynamics_group;
  AdwPreferencesGroup  *campaign_group;
};

enum {
  SAVED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (CcConnectionsDialog, cc_connections_dialog, ADW_TYPE_PREFERENCES_WINDOW)

static System *
get_system (CcConnectionsDialog *self,
            const char          *system)
{
  if (g_strcmp0 (system, "dynamics") == 0)
    return &self->dynamics;
  if (g_strcmp0 (system, "campaign") == 0)
    return &self->campaign;
  return NULL;
}

GtkWidget *
cc_connections_dialog_get_row (CcConnectionsDialog *self,
                               const char          *system,
                               const char          *key)
{
  System *s;

  g_return_val_if_fail (CC_IS_CONNECTIONS_DIALOG (self), NULL);
  s = get_system (self, system);
  return s != NULL ? g_hash_table_lookup (s->rows, key) : NULL;
}

const char *
cc_connections_dialog_get_result (CcConnectionsDialog *self,
                                  const char          *system)
{
  System *s;

  g_return_val_if_fail (CC_IS_CONNECTIONS_DIALOG (self), NULL);
  s = get_system (self, system);
  return s != NULL && s->result != NULL ? s->result : "";
}

GtkWidget *
cc_connections_dialog_get_result_row (CcConnectionsDialog *self,
                                      const char          *system)
{
  System *s;

  g_return_val_if_fail (CC_IS_CONNECTIONS_DIALOG (self), NULL);
  s = get_system (self, system);
  return s != NULL ? GTK_WIDGET (s->result_row) : NULL;
}

gboolean
cc_connections_dialog_get_test_ok (CcConnectionsDialog *self,
                                   const char          *system)
{
  System *s;

  g_return_val_if_fail (CC_IS_CONNECTIONS_DIALOG (self), FALSE);
  s = get_system (self, system);
  return s != NULL && s->test_ok;
}

gboolean
cc_connections_dialog_is_testing (CcConnectionsDialog *self,
                                  const char          *system)
{
  System *s;

  g_return_val_if_fail (CC_IS_CONNECTIONS_DIALOG (self), FALSE);
  s = get_system (self, system);
  return s != NULL && s->testing;
}

static void
show_result (System     *s,
             const char *icon,
             const char *css_class,
             const char *text)
{
  g_free (s->result);
  s->result = g_strdup (text);

  gtk_widget_remove_css_class (GTK_WIDGET (s->result_row), "error");
  gtk_widget_remove_css_class (GTK_WIDGET (s->result_row), "success");
  if (css_class != NULL)
    gtk_widget_add_css_class (GTK_WIDGET (s->result_row), css_class);
  gtk_widget_set_visible (GTK_WIDGET (s->result_icon), icon != NULL);
  if (icon != NULL)
    gtk_image_set_from_icon_name (s->result_icon, icon);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (s->result_row), text);
  gtk_widget_set_visible (GTK_WIDGET (s->result_row), TRUE);
}

/* Where a stored secret is: the keyring, or (on the sandbox, whose
 * connections live in memory) this session only. */
static void
set_stored_words (System   *s,
                  gboolean  sandbox)
{
  if (sandbox)
    {
      gtk_label_set_label (s->stored_label, _("Set for this session"));
      gtk_widget_set_tooltip_text (GTK_WIDGET (s->stored_label),
                                   _("A secret is set until Campaign Connector quits. Type a new "
                                     "one to replace it."));
    }
  else
    {
      gtk_label_set_label (s->stored_label, _("Stored in the keyring"));
      gtk_widget_set_tooltip_text (GTK_WIDGET (s->stored_label),
                                   _("A secret is stored. Type a new one to replace it."));
    }
}

static void
update_stored (System   *s,
               gboolean  stored)
{
  GtkEditable *secret = g_hash_table_lookup (s->rows, "secret");
  const char *typed = gtk_editable_get_text (secret);

  gtk_widget_set_visible (GTK_WIDGET (s->stored_label), stored && *typed == '\0');
}

static void
clear_row_errors (System *s)
{
  GHashTableIter iter;
  gpointer row;

  g_hash_table_iter_init (&iter, s->rows);
  while (g_hash_table_iter_next (&iter, NULL, &row))
    gtk_widget_remove_css_class (row, "error");
}

static void
load_system (CcConnectionsDialog *self,
             System              *s)
{
  g_autoptr(GVariant) connection = cc_engine_get_connection (self->engine, s->system, NULL);
  gboolean secret_stored = FALSE;

  /* In sandbox mode the engine answers with the sandbox's connection,
   * which the form then edits (in memory: see docs/dbus.md). */
  if (connection != NULL)
    g_variant_lookup (connection, "secret-stored", "b", &secret_stored);

  self->loading = TRUE;
  for (guint i = 0; i < s->n_settings; i++)
    {
      const Setting *setting = &s->settings[i];
      GtkEditable *row = g_hash_table_lookup (s->rows, setting->key);
      const char *value = NULL;

      if (g_str_equal (setting->key, "secret"))
        {
          gtk_editable_set_text (row, "");
          continue;
        }
      if (connection != NULL)
        g_variant_lookup (connection, setting->key, "&s", &value);
      if (value == NULL || *value == '\0')
        value = setting->fallback;
      gtk_editable_set_text (row, value ? value : "");
    }
  self->loading = FALSE;
  s->dirty = FALSE;
  update_stored (s, secret_stored);
}

/* The engine names the setting it refuses by its key and its label
 * ("dynamics.url (Environment URL): …"): the row of that key is marked,
 * and the message needs only the label the row shows. */
static char *
explain_refusal (System     *s,
                 const char *message)
{
  for (guint i = 0; i < s->n_settings; i++)
    {
      const char *key = s->settings[i].key;
      const char *label = cc_config_connection_label (s->system, key);
      g_autofree char *prefix = g_strdup_printf ("%s.%s (%s): ", s->system, key, label);
      GtkWidget *row = g_hash_table_lookup (s->rows, key);

      if (row == NULL || !g_str_has_prefix (message, prefix))
        continue;
      gtk_widget_add_css_class (row, "error");
      gtk_widget_grab_focus (row);
      /* Translators: a refused connection setting: the field's title, then why */
      return g_strdup_printf (_("%s: %s"), label, message + strlen (prefix));
    }
  return g_strdup (message);
}

/* Saves what the form says; FALSE (with the message shown) when the
 * engine refuses it. */
static gboolean
save_system (CcConnectionsDialog *self,
             System              *s)
{
  g_auto(GVariantBuilder) builder = G_VARIANT_BUILDER_INIT (G_VARIANT_TYPE_VARDICT);
  g_autoptr(GVariant) settings = NULL;
  g_autoptr(GError) error = NULL;
  gboolean new_secret = FALSE;

  clear_row_errors (s);
  for (guint i = 0; i < s->n_settings; i++)
    {
      const char *key = s->settings[i].key;
      GtkEditable *row = g_hash_table_lookup (s->rows, key);
      g_autofree char *value = g_strstrip (g_strdup (gtk_editable_get_text (row)));

      /* An empty secret row means "keep the stored one". */
      if (g_str_equal (key, "secret") && *value == '\0')
        continue;
      if (g_str_equal (key, "secret"))
        new_secret = TRUE;
      g_variant_builder_add (&builder, "{sv}", key, g_variant_new_string (value));
      if (g_str_equal (key, "secret"))
        memset (value, 0, strlen (value));
    }
  settings = g_variant_ref_sink (g_variant_builder_end (&builder));

  if (!cc_engine_set_connection (self->engine, s->system, settings, &error))
    {
      g_autofree char *message = explain_refusal (s, error->message);

      show_result (s, "dialog-error-symbolic", "error", message);
      return FALSE;
    }

  if (new_secret)
    {
      GtkEditable *secret = g_hash_table_lookup (s->rows, "secret");

      /* Typed once, kept in the keyring, never shown again. */
      self->loading = TRUE;
      gtk_editable_set_text (secret, "");
      self->loading = FALSE;
    }
  s->dirty = FALSE;
  {
    g_autoptr(GVariant) connection = cc_engine_get_connection (self->engine, s->system, NULL);
    gboolean stored = FALSE;

    if (connection != NULL)
      g_variant_lookup (connection, "secret-stored", "b", &stored);
    update_stored (s, stored || new_secret);
  }
  g_signal_emit (self, signals[SAVED], 0);
  return TRUE;
}

static void
save_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  CcConnectionsDialog *self = CC_CONNECTIONS_DIALOG (widget);
  System *s = get_system (self, g_variant_get_string (parameter, NULL));

  if (s != NULL && save_system (self, s))
    show_result (s, "emblem-ok-symbolic", NULL, _("Saved"));
}

typedef struct
{
  CcConnectionsDialog *self;
  System              *system;
} TestData;

static void
on_test_done (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  TestData *data = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;
  System *s;

  if (!cc_engine_test_connection_finish (CC_ENGINE (object), result, &message, &error)
      && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_free (data);
      return;
    }

  s = data->system;
  s->testing = FALSE;
  gtk_spinner_stop (s->spinner);
  gtk_widget_set_visible (GTK_WIDGET (s->spinner), FALSE);
  s->test_ok = error == NULL;
  if (error == NULL)
    show_result (s, "emblem-ok-symbolic", "success", message);
  else
    show_result (s, "dialog-error-symbolic", "error", error->message);
  g_free (data);
}

static void
test_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  CcConnectionsDialog *self = CC_CONNECTIONS_DIALOG (widget);
  System *s = get_system (self, g_variant_get_string (parameter, NULL));
  TestData *data;

  if (s == NULL || s->testing)
    return;
  /* Test what the user sees, not what was saved before. */
  if (s->dirty && !save_system (self, s))
    return;

  s->testing = TRUE;
  s->test_ok = FALSE;
  gtk_widget_set_visible (GTK_WIDGET (s->spinner), TRUE);
  gtk_spinner_start (s->spinner);
  show_result (s, NULL, NULL, _("Testing the connection…"));

  data = g_new0 (TestData, 1);
  data->self = self;
  data->system = s;
  cc_engine_test_connection_async (self->engine, s->system, self->cancellable, on_test_done, data);
}

static void
on_row_changed (GtkEditable         *row,
                CcConnectionsDialog *self)
{
  System *s = g_object_get_data (G_OBJECT (row), "cc-system");

  if (self->loading || s == NULL)
    return;
  s->dirty = TRUE;
  gtk_widget_remove_css_class (GTK_WIDGET (row), "error");
  if (g_hash_table_lookup (s->rows, "secret") == row)
    gtk_widget_set_visible (GTK_WIDGET (s->stored_label), FALSE);
}

/* The setup check and Prepare Dynamics 365 open over this dialog; they
 * use the connections as saved. */
static void
check_setup_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  CcConnectionsDialog *self = CC_CONNECTIONS_DIALOG (widget);
  CcCheckDialog *dialog = cc_check_dialog_new (self->engine, NULL);

  gtk_window_set_transient_for (GTK_WINDOW (dialog), GTK_WINDOW (self));
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
prepare_dynamics_action (GtkWidget  *widget,
                         const char *action_name,
                         GVariant   *parameter)
{
  CcConnectionsDialog *self = CC_CONNECTIONS_DIALOG (widget);
  CcPrepareDialog *dialog = cc_prepare_dialog_new (self->engine);

  gtk_window_set_transient_for (GTK_WINDOW (dialog), GTK_WINDOW (self));
  gtk_window_present (GTK_WINDOW (dialog));
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
        gtk_accessible_update_property (GTK_ACCESSIBLE (child),
                                        GTK_ACCESSIBLE_PROPERTY_LABEL, _("Show Text"),
                                        -1);
      name_peek_button (child);
    }
}

/* The search page of AdwPreferencesWindow (search is off here) is in
 * the accessibility tree all the same, unnamed in libadwaita 1.2: its
 * entry, and the lists of its groups, which have no title. */
static void
name_search_parts (CcConnectionsDialog *self,
                   GtkWidget           *widget)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *group = gtk_widget_get_ancestor (child, ADW_TYPE_PREFERENCES_GROUP);

      if (GTK_IS_SEARCH_ENTRY (child))
        gtk_accessible_update_property (GTK_ACCESSIBLE (child),
                                        GTK_ACCESSIBLE_PROPERTY_LABEL, _("Search"), -1);
      else if (GTK_IS_LIST_BOX (child) && group != NULL
               && group != GTK_WIDGET (self->sandbox_group)
               && *adw_preferences_group_get_title (ADW_PREFERENCES_GROUP (group)) == '\0')
        gtk_accessible_update_property (GTK_ACCESSIBLE (child),
                                        GTK_ACCESSIBLE_PROPERTY_LABEL, _("Search results"), -1);
      name_search_parts (self, child);
    }
}

/* The result of Save or Test goes first in its group, right under the
 * buttons that asked for it, so that it is seen without scrolling. */
static void
build_result_row (System              *s,
                  AdwPreferencesGroup *group)
{
  s->result_row = ADW_ACTION_ROW (adw_action_row_new ());
  adw_action_row_set_title_lines (s->result_row, 0);
  gtk_widget_set_visible (GTK_WIDGET (s->result_row), FALSE);
  s->spinner = GTK_SPINNER (gtk_spinner_new ());
  gtk_widget_set_visible (GTK_WIDGET (s->spinner), FALSE);
  adw_action_row_add_prefix (s->result_row, GTK_WIDGET (s->spinner));
  /* The row's title says it all; the icon repeats it in colour. */
  s->result_icon = g_object_new (GTK_TYPE_IMAGE,
                                 "accessible-role", GTK_ACCESSIBLE_ROLE_PRESENTATION,
                                 NULL);
  adw_action_row_add_prefix (s->result_row, GTK_WIDGET (s->result_icon));
  adw_preferences_group_add (group, GTK_WIDGET (s->result_row));
}

static void
build_system (CcConnectionsDialog *self,
              System              *s,
              AdwPreferencesGroup *group)
{
  s->rows = g_hash_table_new (g_str_hash, g_str_equal);
  build_result_row (s, group);

  for (guint i = 0; i < s->n_settings; i++)
    {
      const Setting *setting = &s->settings[i];
      GtkWidget *row;

      if (g_str_equal (setting->key, "secret"))
        {
          row = adw_password_entry_row_new ();
          name_peek_button (row);
          s->stored_label = GTK_LABEL (gtk_label_new (NULL));
          gtk_widget_add_css_class (GTK_WIDGET (s->stored_label), "dim-label");
          gtk_widget_set_visible (GTK_WIDGET (s->stored_label), FALSE);
          adw_entry_row_add_suffix (ADW_ENTRY_ROW (row), GTK_WIDGET (s->stored_label));
        }
      else
        row = adw_entry_row_new ();
      if (g_str_equal (setting->key, "max-calls-per-second")
          || g_str_equal (setting->key, "daily-call-budget"))
        adw_entry_row_set_input_purpose (ADW_ENTRY_ROW (row), GTK_INPUT_PURPOSE_DIGITS);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row),
                                     cc_config_connection_label (s->system, setting->key));
      g_object_set_data (G_OBJECT (row), "cc-system", s);
      g_signal_connect (row, "changed", G_CALLBACK (on_row_changed), self);
      g_hash_table_insert (s->rows, (gpointer) setting->key, row);
      adw_preferences_group_add (group, row);
    }

}

gboolean
cc_connections_dialog_has_changes (CcConnectionsDialog *self)
{
  g_return_val_if_fail (CC_IS_CONNECTIONS_DIALOG (self), FALSE);
  return self->dynamics.dirty || self->campaign.dirty;
}

static void
on_discard_response (AdwMessageDialog    *question,
                     const char          *response,
                     CcConnectionsDialog *self)
{
  if (!g_str_equal (response, "discard"))
    return;
  self->may_close = TRUE;
  /* After the question is gone: it must not outlive its parent. */
  g_idle_add_full (G_PRIORITY_DEFAULT, cc_close_window_idle, g_object_ref (self), g_object_unref);
}

/* Escape or the close button with settings typed and not saved: ask. */
static gboolean
cc_connections_dialog_close_request (GtkWindow *window)
{
  CcConnectionsDialog *self = CC_CONNECTIONS_DIALOG (window);
  AdwMessageDialog *question;

  if (self->may_close || !cc_connections_dialog_has_changes (self))
    return GTK_WINDOW_CLASS (cc_connections_dialog_parent_class)->close_request (window);

  question = cc_questions_discard (window, _("Connections"));
  g_signal_connect_object (question, "response", G_CALLBACK (on_discard_response), self, 0);
  return TRUE;
}

CcConnectionsDialog *
cc_connections_dialog_new (CcEngine *engine)
{
  CcConnectionsDialog *self;

  g_return_val_if_fail (CC_IS_ENGINE (engine), NULL);

  self = g_object_new (CC_TYPE_CONNECTIONS_DIALOG, NULL);
  self->engine = g_object_ref (engine);
  gtk_widget_set_visible (GTK_WIDGET (self->sandbox_group), cc_engine_get_uses_sandbox (engine));
  cc_dynamics_users_set_engine (self->users_group, engine);
  set_stored_words (&self->dynamics, cc_engine_get_uses_sandbox (engine));
  set_stored_words (&self->campaign, cc_engine_get_uses_sandbox (engine));
  load_system (self, &self->dynamics);
  load_system (self, &self->campaign);
  return self;
}

static void
free_system (System *s)
{
  g_clear_pointer (&s->rows, g_hash_table_unref);
  g_clear_pointer (&s->result, g_free);
}

static void
cc_connections_dialog_dispose (GObject *object)
{
  CcConnectionsDialog *self = CC_CONNECTIONS_DIALOG (object);

  g_cancellable_cancel (self->cancellable);
  if (gtk_widget_get_template_child (GTK_WIDGET (self), CC_TYPE_CONNECTIONS_DIALOG, "dynamics_group") != NULL)
    gtk_widget_dispose_template (GTK_WIDGET (self), CC_TYPE_CONNECTIONS_DIALOG);

  G_OBJECT_CLASS (cc_connections_dialog_parent_class)->dispose (object);
}

static void
cc_connections_dialog_finalize (GObject *object)
{
  CcConnectionsDialog *self = CC_CONNECTIONS_DIALOG (object);

  free_system (&self->dynamics);
  free_system (&self->campaign);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->engine);

  G_OBJECT_CLASS (cc_connections_dialog_parent_class)->finalize (object);
}

static void
cc_connections_dialog_class_init (CcConnectionsDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cc_connections_dialog_dispose;
  object_class->finalize = cc_connections_dialog_finalize;
  GTK_WINDOW_CLASS (klass)->close_request = cc_connections_dialog_close_request;

  /**
   * CcConnectionsDialog::saved:
   *
   * A connection was saved (the engine may now be configured).
   */
  signals[SAVED] = g_signal_new ("saved", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                 0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  g_type_ensure (CC_TYPE_DYNAMICS_USERS);
  gtk_widget_class_set_template_from_resource (widget_class, APP_PATH "/ui/cc-connections-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, CcConnectionsDialog, sandbox_group);
  gtk_widget_class_bind_template_child (widget_class, CcConnectionsDialog, users_group);
  gtk_widget_class_bind_template_child (widget_class, CcConnectionsDialog, dynamics_group);
  gtk_widget_class_bind_template_child (widget_class, CcConnectionsDialog, campaign_group);

  gtk_widget_class_install_action (widget_class, "connections.save", "s", save_action);
  gtk_widget_class_install_action (widget_class, "connections.check-setup", NULL, check_setup_action);
  gtk_widget_class_install_action (widget_class, "connections.prepare-dynamics", NULL,
                                   prepare_dynamics_action);
  gtk_widget_class_install_action (widget_class, "connections.test", "s", test_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
cc_connections_dialog_init (CcConnectionsDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->cancellable = g_cancellable_new ();
  self->dynamics.system = "dynamics";
  self->dynamics.settings = dynamics_settings;
  self->dynamics.n_settings = G_N_ELEMENTS (dynamics_settings);
  self->campaign.system = "campaign";
  self->campaign.settings = campaign_settings;
  self->campaign.n_settings = G_N_ELEMENTS (campaign_settings);
  build_system (self, &self->dynamics, self->dynamics_group);
  build_system (self, &self->campaign, self->campaign_group);
  name_search_parts (self, GTK_WIDGET (self));
  /* Translators: the accessible name of the (empty) list under the
   * sandbox notice of the connections dialog */
  cc_accessible_name_group_list (self->sandbox_group, _("Sandbox"));
}
