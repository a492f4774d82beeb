/* cc-prepare-dialog.c — the plan of "Prepare Dynamics 365", then its
 * outcome. The plan is read for the prefix in the entry (again when the
 * admin applies another one); pressing Prepare is the go-ahead, and the
 * list then says which steps were done and where it stopped. With
 * nothing to do, it says so and Prepare stays off.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "cc-prepare-dialog.h"

struct _CcPrepareDialog
{
  AdwWindow            parent_instance;

  CcEngine            *engine;
  CcPreparePlan       *plan;
  gboolean             applied;
  GCancellable        *cancellable;
  GPtrArray           *rows;

  AdwEntryRow         *prefix_row;
  GtkStack            *stack;
  GtkLabel            *busy_label;
  GtkLabel            *summary_label;
  AdwPreferencesGroup *steps_group;
};

G_DEFINE_FINAL_TYPE (CcPrepareDialog, cc_prepare_dialog, ADW_TYPE_WINDOW)

enum {
  PROP_0,
  PROP_ENGINE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

CcPrepareDialog *
cc_prepare_dialog_new (CcEngine *engine)
{
  return g_object_new (CC_TYPE_PREPARE_DIALOG, "engine", engine, NULL);
}

CcPreparePlan *
cc_prepare_dialog_get_plan (CcPrepareDialog *self)
{
  g_return_val_if_fail (CC_IS_PREPARE_DIALOG (self), NULL);
  return self->plan;
}

gboolean
cc_prepare_dialog_is_applied (CcPrepareDialog *self)
{
  g_return_val_if_fail (CC_IS_PREPARE_DIALOG (self), FALSE);
  return self->applied;
}

static void
clear_rows (CcPrepareDialog *self)
{
  for (guint i = 0; i < self->rows->len; i++)
    adw_preferences_group_remove (self->steps_group, g_ptr_array_index (self->rows, i));
  g_ptr_array_set_size (self->rows, 0);
}

static void
add_row (CcPrepareDialog *self,
         CcPrepareStep   *step)
{
  GtkWidget *row = adw_action_row_new ();
  CcPrepareState state = cc_prepare_step_get_state (step);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), cc_prepare_step_get_description (step));
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 0);
  if (state == CC_PREPARE_FAILED)
    adw_action_row_set_subtitle (ADW_ACTION_ROW (row), cc_prepare_step_get_error (step));
  if (self->applied)
    {
      GtkWidget *icon = gtk_image_new_from_icon_name (state == CC_PREPARE_DONE ? "emblem-ok-symbolic"
                                                      : state == CC_PREPARE_FAILED ? "dialog-error-symbolic"
                                                      : "content-loading-symbolic");

      gtk_accessible_update_property (GTK_ACCESSIBLE (icon), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      state == CC_PREPARE_DONE ? _("Done")
                                      : state == CC_PREPARE_FAILED ? _("Failed") : _("Not done"),
                                      -1);
      adw_action_row_add_prefix (ADW_ACTION_ROW (row), icon);
    }
  adw_preferences_group_add (self->steps_group, row);
  g_ptr_array_add (self->rows, row);
}

static guint
count_failed (CcPreparePlan *plan)
{
  guint n = 0;

  for (guint i = 0; i < plan->steps->len; i++)
    n += cc_prepare_step_get_state (g_ptr_array_index (plan->steps, i)) == CC_PREPARE_FAILED;
  return n;
}

static void
show_plan (CcPrepareDialog *self)
{
  guint n = self->plan->steps->len;
  g_autofree char *summary = NULL;

  clear_rows (self);
  for (guint i = 0; i < n; i++)
    add_row (self, g_ptr_array_index (self->plan->steps, i));
  gtk_widget_set_visible (GTK_WIDGET (self->steps_group), n > 0);
  if (n == 0)
    summary = g_strdup (_("Nothing to change: Dynamics 365 is prepared."));
  else if (!self->applied)
    summary = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Prepare will make %u change:",
                                            "Prepare will make %u changes:", n), n);
  else if (count_failed (self->plan) > 0)
    summary = g_strdup (_("Prepare stopped at a step Dynamics 365 refused. Fix what it says, then "
                          "prepare again: what is done stays done."));
  else
    summary = g_strdup (_("Dynamics 365 is prepared. Check the setup again to see what remains."));
  gtk_label_set_label (self->summary_label, summary);
  gtk_stack_set_visible_child_name (self->stack, "plan");
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "prepare.apply", n > 0 && !self->applied);
}

static void
on_prepared (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(CcPrepareDialog) self = user_data;
  g_autoptr(GError) error = NULL;
  CcPreparePlan *plan = cc_engine_prepare_dynamics_finish (CC_ENGINE (object), result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  gtk_widget_set_sensitive (GTK_WIDGET (self->prefix_row), TRUE);
  g_clear_pointer (&self->plan, cc_prepare_plan_free);
  self->plan = plan;
  if (plan != NULL)
    {
      show_plan (self);
      return;
    }
  clear_rows (self);
  gtk_widget_set_visible (GTK_WIDGET (self->steps_group), FALSE);
  gtk_label_set_label (self->summary_label, error->message);
  gtk_stack_set_visible_child_name (self->stack, "plan");
}

/* Reads the plan (@apply FALSE) or applies it, for the prefix entered. */
static void
run (CcPrepareDialog *self,
     gboolean         apply)
{
  g_cancellable_cancel (self->cancellable);
  g_set_object (&self->cancellable, g_cancellable_new ());
  g_clear_pointer (&self->plan, cc_prepare_plan_free);
  self->applied = apply;
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "prepare.apply", FALSE);
  gtk_widget_set_sensitive (GTK_WIDGET (self->prefix_row), FALSE);
  gtk_label_set_label (self->busy_label, apply ? _("Preparing Dynamics 365…")
                                               : _("Reading what Dynamics 365 has…"));
  gtk_stack_set_visible_child_name (self->stack, "busy");
  cc_engine_prepare_dynamics_async (self->engine, gtk_editable_get_text (GTK_EDITABLE (self->prefix_row)),
                                    apply, self->cancellable, on_prepared, g_object_ref (self));
}

static void
on_prefix_applied (CcPrepareDialog *self)
{
  run (self, FALSE);
}

static void
apply_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  run (CC_PREPARE_DIALOG (widget), TRUE);
}

static void
cc_prepare_dialog_constructed (GObject *object)
{
  G_OBJECT_CLASS (cc_prepare_dialog_parent_class)->constructed (object);
  run (CC_PREPARE_DIALOG (object), FALSE);
}

static void
cc_prepare_dialog_dispose (GObject *object)
{
  CcPrepareDialog *self = CC_PREPARE_DIALOG (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->plan, cc_prepare_plan_free);
  g_clear_object (&self->engine);
  gtk_widget_dispose_template (GTK_WIDGET (self), CC_TYPE_PREPARE_DIALOG);

  G_OBJECT_CLASS (cc_prepare_dialog_parent_class)->dispose (object);
}

static void
cc_prepare_dialog_finalize (GObject *object)
{
  g_ptr_array_unref (CC_PREPARE_DIALOG (object)->rows);

  G_OBJECT_CLASS (cc_prepare_dialog_parent_class)->finalize (object);
}

static void
cc_prepare_dialog_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  CcPrepareDialog *self = CC_PREPARE_DIALOG (object);

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
cc_prepare_dialog_class_init (CcPrepareDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = cc_prepare_dialog_constructed;
  object_class->dispose = cc_prepare_dialog_dispose;
  object_class->finalize = cc_prepare_dialog_finalize;
  object_class->set_property = cc_prepare_dialog_set_property;

  properties[PROP_ENGINE] =
    g_param_spec_object ("engine", NULL, NULL, CC_TYPE_ENGINE,
                         G_PARAM_WRITABLE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, APP_PATH "/ui/cc-prepare-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, CcPrepareDialog, prefix_row);
  gtk_widget_class_bind_template_child (widget_class, CcPrepareDialog, stack);
  gtk_widget_class_bind_template_child (widget_class, CcPrepareDialog, busy_label);
  gtk_widget_class_bind_template_child (widget_class, CcPrepareDialog, summary_label);
  gtk_widget_class_bind_template_child (widget_class, CcPrepareDialog, steps_group);
  gtk_widget_class_bind_template_callback (widget_class, on_prefix_applied);
  gtk_widget_class_install_action (widget_class, "prepare.apply", NULL, apply_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
cc_prepare_dialog_init (CcPrepareDialog *self)
{
  self->rows = g_ptr_array_new ();
  gtk_widget_init_template (GTK_WIDGET (self));
}
