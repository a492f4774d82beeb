/* cc-window.c — the main window. Its layout is data/ui/cc-window.ui; the
 * columns are made in cc-window-columns.c and the actions live in
 * cc-window-actions.c.
 *
 * The window never keeps workflow state of its own: every cell binds to
 * the engine's CcWorkflow objects.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "cc-accessible.h"
#include "cc-connections-dialog.h"
#include "cc-egress-dialog.h"
#include "cc-ingress-dialog.h"
#include "cc-optinout-dialog.h"
#include "cc-tooltips.h"
#include "cc-window-private.h"
#include "cc-workflow-details.h"

enum {
  PROP_0,
  PROP_ENGINE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (CcWindow, cc_window, ADW_TYPE_APPLICATION_WINDOW)

CcWindow *
cc_window_new (CcApplication *application)
{
  g_return_val_if_fail (CC_IS_APPLICATION (application), NULL);

  return cc_window_new_for_engine (GTK_APPLICATION (application),
                                   cc_application_get_engine (application));
}

CcWindow *
cc_window_new_for_engine (GtkApplication *application,
                          CcEngine       *engine)
{
  g_return_val_if_fail (GTK_IS_APPLICATION (application), NULL);
  g_return_val_if_fail (CC_IS_ENGINE (engine), NULL);

  return g_object_new (CC_TYPE_WINDOW,
                       "application", application,
                       "engine", engine,
                       NULL);
}

CcEngine *
cc_window_get_engine (CcWindow *self)
{
  g_return_val_if_fail (CC_IS_WINDOW (self), NULL);
  return self->engine;
}

void
cc_window_add_toast (CcWindow   *self,
                     const char *message)
{
  AdwToast *toast;

  g_return_if_fail (CC_IS_WINDOW (self));

  toast = adw_toast_new (message);
  adw_toast_set_timeout (toast, 8);
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

void
cc_window_update_empty_state (CcWindow *self)
{
  gboolean configured = cc_engine_is_configured (self->engine);

  gtk_stack_set_visible_child_name (self->stack, configured ? "workflows" : "empty");
}

/* Raises the dialog @table holds for @id, if it is still open. */
static GtkWindow *
find_open (GHashTable *table,
           const char *id)
{
  GtkWindow *window = g_hash_table_lookup (table, id);

  if (window != NULL)
    gtk_window_present (window);
  return window;
}

static void
remember_open (CcWindow   *self,
               GHashTable *table,
               const char *id,
               GtkWindow  *window)
{
  g_hash_table_insert (table, g_strdup (id), window);
  /* The entry goes when the dialog does. */
  g_object_set_data_full (G_OBJECT (window), "cc-window-key", g_strdup (id), g_free);
  g_object_set_data (G_OBJECT (window), "cc-window-table", table);
}

static void
on_dialog_destroy (GtkWindow *window,
                   gpointer   user_data)
{
  GHashTable *table = g_object_get_data (G_OBJECT (window), "cc-window-table");
  const char *id = g_object_get_data (G_OBJECT (window), "cc-window-key");

  if (table != NULL && id != NULL && g_hash_table_lookup (table, id) == window)
    g_hash_table_remove (table, id);
}

typedef GtkWindow *(*DialogNew) (CcEngine   *engine,
                                 CcWorkflow *workflow);

/* One dialog of a kind per workflow: raises the open one, or makes,
 * remembers and shows a new one. NULL for an unknown workflow. */
static GtkWindow *
open_dialog (CcWindow   *self,
             GHashTable *table,
             const char *workflow_id,
             DialogNew   dialog_new)
{
  CcWorkflow *workflow;
  GtkWindow *dialog;

  workflow = cc_engine_find_workflow (self->engine, workflow_id);
  if (workflow == NULL)
    return NULL;
  if ((dialog = find_open (table, workflow_id)) != NULL)
    return dialog;

  dialog = dialog_new (self->engine, workflow);
  if (dialog == NULL)
    return NULL;
  gtk_window_set_transient_for (dialog, GTK_WINDOW (self));
  remember_open (self, table, workflow_id, dialog);
  g_signal_connect (dialog, "destroy", G_CALLBACK (on_dialog_destroy), NULL);
  gtk_window_present (dialog);
  return dialog;
}

static GtkWindow *
editor_new (CcEngine   *engine,
            CcWorkflow *workflow)
{
  const char *id = cc_workflow_get_id (workflow);

  if (g_str_equal (id, "ingress"))
    return GTK_WINDOW (cc_ingress_dialog_new (engine, workflow));
  if (g_str_equal (id, "egress"))
    return GTK_WINDOW (cc_egress_dialog_new (engine, workflow));
  if (g_str_equal (id, "optinout"))
    return GTK_WINDOW (cc_optinout_dialog_new (engine, workflow));
  return NULL;
}

static GtkWindow *
details_new (CcEngine   *engine,
             CcWorkflow *workflow)
{
  return GTK_WINDOW (cc_workflow_details_new (engine, workflow));
}

GtkWindow *
cc_window_open_editor (CcWindow   *self,
                       const char *workflow_id)
{
  g_return_val_if_fail (CC_IS_WINDOW (self), NULL);
  return open_dialog (self, self->editors, workflow_id, editor_new);
}

GtkWindow *
cc_window_open_details (CcWindow   *self,
                        const char *workflow_id)
{
  g_return_val_if_fail (CC_IS_WINDOW (self), NULL);
  return open_dialog (self, self->details, workflow_id, details_new);
}

GtkWindow *
cc_window_open_error_log (CcWindow   *self,
                          const char *workflow_id)
{
  GtkWindow *details;

  g_return_val_if_fail (CC_IS_WINDOW (self), NULL);

  details = cc_window_open_details (self, workflow_id);
  if (details != NULL)
    cc_workflow_details_show_page (CC_WORKFLOW_DETAILS (details), "errors");
  return details;
}

static void
on_connections_destroy (GtkWindow *dialog,
                        CcWindow  *self)
{
  if (self->connections == dialog)
    self->connections = NULL;
  /* The user may just have connected both services. */
  cc_window_update_empty_state (self);
}

GtkWindow *
cc_window_open_connections (CcWindow *self)
{
  g_return_val_if_fail (CC_IS_WINDOW (self), NULL);

  if (self->connections != NULL)
    {
      gtk_window_present (self->connections);
      return self->connections;
    }

  self->connections = GTK_WINDOW (cc_connections_dialog_new (self->engine));
  gtk_window_set_transient_for (self->connections, GTK_WINDOW (self));
  g_signal_connect_object (self->connections, "destroy",
                           G_CALLBACK (on_connections_destroy), self, 0);
  g_signal_connect_object (self->connections, "saved",
                           G_CALLBACK (cc_window_update_empty_state), self, G_CONNECT_SWAPPED);
  gtk_window_present (self->connections);
  return self->connections;
}

/* A failed workflow deserves a notification when nobody is looking at the
 * window; when the window has focus, the row already says it. */
static void
on_workflow_failed (CcEngine   *engine,
                    CcWorkflow *workflow,
                    CcWindow   *self)
{
  g_autoptr(GNotification) notification = NULL;
  g_autofree char *title = NULL;
  g_autofree char *id = NULL;
  GApplication *app;

  if (gtk_window_is_active (GTK_WINDOW (self)))
    return;
  app = G_APPLICATION (gtk_window_get_application (GTK_WINDOW (self)));
  if (app == NULL)
    return;

  title = g_strdup_printf (_("“%s” failed"), cc_workflow_get_title (workflow));
  notification = g_notification_new (title);
  g_notification_set_body (notification, cc_workflow_get_last_error (workflow));
  g_notification_set_priority (notification, G_NOTIFICATION_PRIORITY_HIGH);
  id = g_strdup_printf ("workflow-failed-%s", cc_workflow_get_id (workflow));
  g_application_send_notification (app, id, notification);
}

static void
on_is_active_changed (CcWindow *self)
{
  /* Connections may have been set up from the command line meanwhile. */
  if (gtk_window_is_active (GTK_WINDOW (self)))
    cc_window_update_empty_state (self);
}

static void
save_window_state (CcWindow *self)
{
  int width, height;

  gtk_window_get_default_size (GTK_WINDOW (self), &width, &height);
  g_settings_set_int (self->settings, "window-width", width);
  g_settings_set_int (self->settings, "window-height", height);
  g_settings_set_boolean (self->settings, "window-maximized",
                          gtk_window_is_maximized (GTK_WINDOW (self)));
}

static gboolean
cc_window_close_request (GtkWindow *window)
{
  /* With workflows running, the user says what becomes of them first. */
  if (!cc_window_close_or_ask (CC_WINDOW (window)))
    return TRUE;
  save_window_state (CC_WINDOW (window));
  return GTK_WINDOW_CLASS (cc_window_parent_class)->close_request (window);
}

static void
cc_window_constructed (GObject *object)
{
  CcWindow *self = CC_WINDOW (object);

  G_OBJECT_CLASS (cc_window_parent_class)->constructed (object);

  g_assert (CC_IS_ENGINE (self->engine));

  /* Factories first: rows made before them would stay empty. */
  cc_window_setup_columns (self);
  gtk_single_selection_set_model (self->selection, cc_engine_get_workflows (self->engine));
  cc_accessible_name_column_view (self->column_view, _("Workflows"));

  if (cc_engine_get_uses_sandbox (self->engine))
    /* Translators: subtitle of the main window when it runs on the emulators */
    adw_window_title_set_subtitle (self->window_title, _("Sandbox"));

  self->failed_handler = g_signal_connect_object (self->engine, "workflow-failed",
                                                  G_CALLBACK (on_workflow_failed), self, 0);
  cc_allowance_bar_set_allowance (self->allowance_bar,
                                  cc_engine_get_campaign_allowance (self->engine));
  cc_window_update_empty_state (self);
  cc_window_connect_rows (self);
}

/* Dialogs of a window that goes away go with it. */
static void
close_all (GHashTable *table)
{
  g_autoptr(GList) windows = g_hash_table_get_values (table);

  for (GList *l = windows; l != NULL; l = l->next)
    {
      g_object_set_data (l->data, "cc-window-table", NULL);
      gtk_window_destroy (l->data);
    }
  g_hash_table_remove_all (table);
}

static void
cc_window_dispose (GObject *object)
{
  CcWindow *self = CC_WINDOW (object);

  if (self->editors != NULL)
    close_all (self->editors);
  if (self->details != NULL)
    close_all (self->details);
  if (self->connections != NULL)
    gtk_window_destroy (self->connections);
  if (self->engine != NULL)
    g_clear_signal_handler (&self->failed_handler, self->engine);
  /* The settings action follows the settings, which outlive the window. */
  g_action_map_remove_action (G_ACTION_MAP (self), "close-action");
  cc_window_teardown_columns (self);

  if (gtk_widget_get_template_child (GTK_WIDGET (self), CC_TYPE_WINDOW, "stack") != NULL)
    gtk_widget_dispose_template (GTK_WIDGET (self), CC_TYPE_WINDOW);
  g_clear_object (&self->settings);
  g_clear_pointer (&self->editors, g_hash_table_unref);
  g_clear_pointer (&self->details, g_hash_table_unref);
  g_clear_object (&self->engine);

  G_OBJECT_CLASS (cc_window_parent_class)->dispose (object);
}

static void
cc_window_set_property (GObject      *object,
                        guint         prop_id,
                        const GValue *value,
                        GParamSpec   *pspec)
{
  CcWindow *self = CC_WINDOW (object);

  switch (prop_id)
    {
    case PROP_ENGINE:
      self->engine = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cc_window_get_property (GObject    *object,
                        guint       prop_id,
                        GValue     *value,
                        GParamSpec *pspec)
{
  CcWindow *self = CC_WINDOW (object);

  switch (prop_id)
    {
    case PROP_ENGINE:
      g_value_set_object (value, self->engine);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cc_window_class_init (CcWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->constructed = cc_window_constructed;
  object_class->dispose = cc_window_dispose;
  object_class->set_property = cc_window_set_property;
  object_class->get_property = cc_window_get_property;
  window_class->close_request = cc_window_close_request;

  properties[PROP_ENGINE] =
    g_param_spec_object ("engine", NULL, NULL, CC_TYPE_ENGINE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (CC_TYPE_ALLOWANCE_BAR);
  gtk_widget_class_set_template_from_resource (widget_class, APP_PATH "/ui/cc-window.ui");
  gtk_widget_class_bind_template_child (widget_class, CcWindow, window_title);
  gtk_widget_class_bind_template_child (widget_class, CcWindow, primary_menu_button);
  gtk_widget_class_bind_template_child (widget_class, CcWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, CcWindow, stack);
  gtk_widget_class_bind_template_child (widget_class, CcWindow, column_view);
  gtk_widget_class_bind_template_child (widget_class, CcWindow, selection);
  gtk_widget_class_bind_template_child (widget_class, CcWindow, workflow_column);
  gtk_widget_class_bind_template_child (widget_class, CcWindow, status_column);
  gtk_widget_class_bind_template_child (widget_class, CcWindow, backlog_column);
  gtk_widget_class_bind_template_child (widget_class, CcWindow, written_column);
  gtk_widget_class_bind_template_child (widget_class, CcWindow, failed_column);
  gtk_widget_class_bind_template_child (widget_class, CcWindow, activity_column);
  gtk_widget_class_bind_template_child (widget_class, CcWindow, actions_column);
  gtk_widget_class_bind_template_child (widget_class, CcWindow, allowance_bar);

  cc_window_class_add_actions (widget_class);
  cc_accessible_install ();
}

static void
cc_window_init (CcWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  cc_tooltips_quiet_while_open (self->primary_menu_button);

  self->editors = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->details = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  self->settings = g_settings_new (APP_ID);
  gtk_window_set_default_size (GTK_WINDOW (self),
                               g_settings_get_int (self->settings, "window-width"),
                               g_settings_get_int (self->settings, "window-height"));
  if (g_settings_get_boolean (self->settings, "window-maximized"))
    gtk_window_maximize (GTK_WINDOW (self));

  g_signal_connect (self, "notify::is-active", G_CALLBACK (on_is_active_changed), NULL);
  cc_window_add_close_action (self);
}
