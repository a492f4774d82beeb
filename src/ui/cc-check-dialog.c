/* cc-check-dialog.c — the setup check's report, grouped by state: what
 * is missing first (why, and what to do in the admin's words), then what
 * cannot be told, then what is OK. The check runs in the engine's
 * worker thread; "Check Again" runs it anew after a fix.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "cc-check-dialog.h"

struct _CcCheckDialog
{
  AdwWindow            parent_instance;

  CcEngine            *engine;
  char                *workflow_id;
  CcCheckReport       *report;
  GCancellable        *cancellable;
  GPtrArray           *rows;          /* the rows added to the groups */

  AdwWindowTitle      *window_title;
  GtkStack            *stack;
  AdwStatusPage       *error_page;
  GtkLabel            *summary_label;
  AdwPreferencesGroup *missing_group;
  AdwPreferencesGroup *unknown_group;
  AdwPreferencesGroup *ok_group;
};

G_DEFINE_FINAL_TYPE (CcCheckDialog, cc_check_dialog, ADW_TYPE_WINDOW)

enum {
  PROP_0,
  PROP_ENGINE,
  PROP_WORKFLOW_ID,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

CcCheckDialog *
cc_check_dialog_new (CcEngine   *engine,
                     const char *workflow_id)
{
  return g_object_new (CC_TYPE_CHECK_DIALOG, "engine", engine, "workflow-id", workflow_id, NULL);
}

CcCheckReport *
cc_check_dialog_get_report (CcCheckDialog *self)
{
  g_return_val_if_fail (CC_IS_CHECK_DIALOG (self), NULL);
  return self->report;
}

static void
clear_rows (CcCheckDialog *self)
{
  for (guint i = 0; i < self->rows->len; i++)
    {
      GtkWidget *row = g_ptr_array_index (self->rows, i);

      adw_preferences_group_remove (ADW_PREFERENCES_GROUP (gtk_widget_get_ancestor (row, ADW_TYPE_PREFERENCES_GROUP)),
                                    row);
    }
  g_ptr_array_set_size (self->rows, 0);
}

/* What a row says below its label: why, and what to do. */
static char *
describe (const CcCheckItem *item)
{
  if (item->why != NULL && item->what_to_do != NULL)
    /* Translators: below a missing prerequisite: what was found, then
     * the steps to take */
    return g_strdup_printf (_("%s\nWhat to do: %s"), item->why, item->what_to_do);
  return g_strdup (item->why ? item->why : item->what_to_do);
}

static const char *
icon_of (CcCheckState state)
{
  switch (state)
    {
    case CC_CHECK_OK:
      return "emblem-ok-symbolic";
    case CC_CHECK_MISSING:
      return "dialog-warning-symbolic";
    case CC_CHECK_CANNOT_TELL:
    default:
      return "dialog-question-symbolic";
    }
}

static void
add_row (CcCheckDialog     *self,
         const CcCheckItem *item)
{
  AdwPreferencesGroup *group = item->state == CC_CHECK_OK ? self->ok_group
                               : item->state == CC_CHECK_MISSING ? self->missing_group
                               : self->unknown_group;
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *icon = gtk_image_new_from_icon_name (icon_of (item->state));
  g_autofree char *text = describe (item);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), item->label);
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  if (text != NULL)
    adw_action_row_set_subtitle (ADW_ACTION_ROW (row), text);
  adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 0);
  /* The state is said in words too, for those who do not see the icon. */
  gtk_accessible_update_property (GTK_ACCESSIBLE (icon), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  cc_check_state_to_label (item->state), -1);
  adw_action_row_add_prefix (ADW_ACTION_ROW (row), icon);
  gtk_widget_set_name (row, item->id);
  adw_preferences_group_add (group, row);
  g_ptr_array_add (self->rows, row);
}

static void
show_report (CcCheckDialog *self)
{
  GPtrArray *items = cc_check_report_get_items (self->report);
  guint missing = cc_check_report_count (self->report, CC_CHECK_MISSING);
  guint unknown = cc_check_report_count (self->report, CC_CHECK_CANNOT_TELL);
  g_autofree char *summary = NULL;

  clear_rows (self);
  for (guint i = 0; i < items->len; i++)
    add_row (self, g_ptr_array_index (items, i));
  gtk_widget_set_visible (GTK_WIDGET (self->missing_group), missing > 0);
  gtk_widget_set_visible (GTK_WIDGET (self->unknown_group), unknown > 0);
  gtk_widget_set_visible (GTK_WIDGET (self->ok_group), items->len > missing + unknown);

  if (missing == 0 && unknown == 0)
    summary = g_strdup (_("Nothing is missing: everything the workflows need is set up."));
  else if (missing == 0)
    summary = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Nothing is missing, but %u thing cannot be told.",
                                            "Nothing is missing, but %u things cannot be told.", unknown),
                               unknown);
  else
    summary = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u thing is missing.",
                                            "%u things are missing.", missing),
                               missing);
  gtk_label_set_label (self->summary_label, summary);
  gtk_stack_set_visible_child_name (self->stack, "results");
}

static void
on_checked (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(CcCheckDialog) self = user_data;
  g_autoptr(GError) error = NULL;
  CcCheckReport *report = cc_engine_check_setup_finish (CC_ENGINE (object), result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "check.run", TRUE);
  g_clear_object (&self->report);
  self->report = report;
  if (report != NULL)
    show_report (self);
  else
    {
      adw_status_page_set_description (self->error_page, error->message);
      gtk_stack_set_visible_child_name (self->stack, "error");
    }
}

void
cc_check_dialog_run (CcCheckDialog *self)
{
  g_return_if_fail (CC_IS_CHECK_DIALOG (self));

  g_cancellable_cancel (self->cancellable);
  g_set_object (&self->cancellable, g_cancellable_new ());
  g_clear_object (&self->report);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "check.run", FALSE);
  gtk_stack_set_visible_child_name (self->stack, "checking");
  cc_engine_check_setup_async (self->engine, self->workflow_id, self->cancellable, on_checked,
                               g_object_ref (self));
}

static void
run_action (GtkWidget  *widget,
            const char *action_name,
            GVariant   *parameter)
{
  cc_check_dialog_run (CC_CHECK_DIALOG (widget));
}

static void
cc_check_dialog_constructed (GObject *object)
{
  CcCheckDialog *self = CC_CHECK_DIALOG (object);
  CcWorkflow *workflow = self->workflow_id ? cc_engine_find_workflow (self->engine, self->workflow_id) : NULL;

  G_OBJECT_CLASS (cc_check_dialog_parent_class)->constructed (object);

  adw_window_title_set_subtitle (self->window_title, workflow ? cc_workflow_get_title (workflow)
                                                              : _("Every workflow"));
  cc_check_dialog_run (self);
}

static void
cc_check_dialog_dispose (GObject *object)
{
  CcCheckDialog *self = CC_CHECK_DIALOG (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->report);
  g_clear_object (&self->engine);
  gtk_widget_dispose_template (GTK_WIDGET (self), CC_TYPE_CHECK_DIALOG);

  G_OBJECT_CLASS (cc_check_dialog_parent_class)->dispose (object);
}

static void
cc_check_dialog_finalize (GObject *object)
{
  CcCheckDialog *self = CC_CHECK_DIALOG (object);

  g_free (self->workflow_id);
  g_ptr_array_unref (self->rows);

  G_OBJECT_CLASS (cc_check_dialog_parent_class)->finalize (object);
}

static void
cc_check_dialog_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  CcCheckDialog *self = CC_CHECK_DIALOG (object);

  switch (prop_id)
    {
    case PROP_ENGINE:
      self->engine = g_value_dup_object (value);
      break;
    case PROP_WORKFLOW_ID:
      self->workflow_id = g_value_dup_string (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cc_check_dialog_class_init (CcCheckDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = cc_check_dialog_constructed;
  object_class->dispose = cc_check_dialog_dispose;
  object_class->finalize = cc_check_dialog_finalize;
  object_class->set_property = cc_check_dialog_set_property;

  properties[PROP_ENGINE] =
    g_param_spec_object ("engine", NULL, NULL, CC_TYPE_ENGINE,
                         G_PARAM_WRITABLE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_WORKFLOW_ID] =
    g_param_spec_string ("workflow-id", NULL, NULL, NULL,
                         G_PARAM_WRITABLE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, APP_PATH "/ui/cc-check-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, CcCheckDialog, window_title);
  gtk_widget_class_bind_template_child (widget_class, CcCheckDialog, stack);
  gtk_widget_class_bind_template_child (widget_class, CcCheckDialog, error_page);
  gtk_widget_class_bind_template_child (widget_class, CcCheckDialog, summary_label);
  gtk_widget_class_bind_template_child (widget_class, CcCheckDialog, missing_group);
  gtk_widget_class_bind_template_child (widget_class, CcCheckDialog, unknown_group);
  gtk_widget_class_bind_template_child (widget_class, CcCheckDialog, ok_group);
  gtk_widget_class_install_action (widget_class, "check.run", NULL, run_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
cc_check_dialog_init (CcCheckDialog *self)
{
  self->rows = g_ptr_array_new ();
  gtk_widget_init_template (GTK_WIDGET (self));
}
