/* cc-status-cell.c — a workflow's status in the table.
 *
 * Stopped, Starting (with a spinner), Running, Failed (in the error
 * colour, the last error as tooltip and a button that shows all of it).
 * Running is in the warning colour, with a warning sign and the reason as
 * tooltip, while records it could not write wait in its error log or
 * while Campaign's daily API allowance holds it back: it still runs, but
 * not everything goes through. Follows the workflow's :status,
 * :last-error, :waiting and :error-count.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "cc-status-cell.h"

struct _CcStatusCell
{
  CcWorkflowCell  parent_instance;

  GtkSpinner  *spinner;
  GtkImage    *icon;
  GtkLabel    *label;
  GtkButton   *error_button;
};

G_DEFINE_FINAL_TYPE (CcStatusCell, cc_status_cell, CC_TYPE_WORKFLOW_CELL)

CcStatusCell *
cc_status_cell_new (void)
{
  return g_object_new (CC_TYPE_STATUS_CELL, NULL);
}

CcWorkflow *
cc_status_cell_get_workflow (CcStatusCell *self)
{
  g_return_val_if_fail (CC_IS_STATUS_CELL (self), NULL);
  return cc_workflow_cell_get_workflow (CC_WORKFLOW_CELL (self));
}

/* The parts of @status as the table shows them: a spinner while starting,
 * an icon otherwise (a warning sign when @warning), the word, and the
 * error button when @error_button. */
static void
show_parts (CcStatusCell     *self,
            CcWorkflowStatus  status,
            gboolean          warning,
            gboolean          error_button)
{
  const char *icon_name;

  switch (status)
    {
    case CC_WORKFLOW_STOPPED:
      icon_name = "media-playback-stop-symbolic";
      break;
    case CC_WORKFLOW_STARTING:
      icon_name = NULL;
      break;
    case CC_WORKFLOW_RUNNING:
      icon_name = warning ? "dialog-warning-symbolic" : "emblem-ok-symbolic";
      break;
    case CC_WORKFLOW_FAILED:
    default:
      icon_name = "dialog-error-symbolic";
      break;
    }

  gtk_label_set_label (self->label, cc_workflow_status_to_label (status));
  gtk_widget_set_visible (GTK_WIDGET (self->spinner), icon_name == NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->icon), icon_name != NULL);
  if (icon_name != NULL)
    gtk_image_set_from_icon_name (self->icon, icon_name);
  gtk_widget_set_visible (GTK_WIDGET (self->error_button), error_button);
}

/* Why a running workflow is shown as a warning, one reason a line, or
 * NULL: records in its error log, and what holds it back. */
static char *
describe_warning (CcWorkflow *workflow)
{
  guint64 in_log = cc_workflow_get_error_count (workflow);
  const char *waiting = cc_workflow_get_waiting (workflow);
  g_autoptr(GString) why = g_string_new (NULL);

  if (in_log > 0)
    {
      g_autofree char *count = g_strdup_printf ("%'" G_GUINT64_FORMAT, in_log);

      g_string_append_printf (why, g_dngettext (GETTEXT_PACKAGE,
                                                "%s record could not be written. It waits in "
                                                "the error log, which the Failed count opens.",
                                                "%s records could not be written. They wait in "
                                                "the error log, which the Failed count opens.",
                                                (gulong) in_log),
                              count);
    }
  if (*waiting != '\0')
    g_string_append_printf (why, "%s%s", why->len > 0 ? "\n" : "", waiting);
  return why->len > 0 ? g_string_free (g_steal_pointer (&why), FALSE) : NULL;
}

static void
update (CcStatusCell *self)
{
  static const char * const classes[] = { "dim-label", "success", "error", "accent", "warning" };
  CcWorkflow *workflow = cc_status_cell_get_workflow (self);
  CcWorkflowStatus status;
  const char *css_class = NULL;
  const char *last_error;
  g_autofree char *warning = NULL;
  gboolean has_error;

  for (guint i = 0; i < G_N_ELEMENTS (classes); i++)
    gtk_widget_remove_css_class (GTK_WIDGET (self), classes[i]);

  if (workflow == NULL)
    {
      gtk_label_set_label (self->label, "");
      gtk_widget_set_visible (GTK_WIDGET (self->icon), FALSE);
      gtk_widget_set_visible (GTK_WIDGET (self->spinner), FALSE);
      gtk_spinner_stop (self->spinner);
      gtk_widget_set_visible (GTK_WIDGET (self->error_button), FALSE);
      gtk_widget_set_tooltip_text (GTK_WIDGET (self), NULL);
      return;
    }

  status = cc_workflow_get_status (workflow);
  last_error = cc_workflow_get_last_error (workflow);
  has_error = status == CC_WORKFLOW_FAILED && last_error != NULL && *last_error != '\0';
  if (status == CC_WORKFLOW_RUNNING || status == CC_WORKFLOW_STARTING)
    warning = describe_warning (workflow);

  switch (status)
    {
    case CC_WORKFLOW_STOPPED:
      css_class = "dim-label";
      break;
    case CC_WORKFLOW_STARTING:
      css_class = "accent";
      break;
    case CC_WORKFLOW_RUNNING:
      css_class = "success";
      break;
    case CC_WORKFLOW_FAILED:
    default:
      css_class = "error";
      break;
    }

  show_parts (self, status, warning != NULL, has_error);
  gtk_widget_add_css_class (GTK_WIDGET (self), css_class);

  if (status == CC_WORKFLOW_STARTING)
    gtk_spinner_start (self->spinner);
  else
    gtk_spinner_stop (self->spinner);

  /* Running but records fail, or held back (the day's Campaign API
   * allowance is used up): the word stays, the colour, the sign and the
   * tooltip say why. */
  if (warning != NULL)
    {
      gtk_widget_remove_css_class (GTK_WIDGET (self), css_class);
      gtk_widget_add_css_class (GTK_WIDGET (self), "warning");
    }
  if (has_error || warning != NULL)
    {
      const char *why = has_error ? last_error : warning;

      gtk_widget_set_tooltip_text (GTK_WIDGET (self), why);
      gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                      GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, why,
                                      -1);
    }
  else
    {
      gtk_widget_set_tooltip_text (GTK_WIDGET (self), NULL);
      gtk_accessible_reset_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION);
    }
}

int
cc_status_cell_get_needed_width (CcStatusCell *self)
{
  static const CcWorkflowStatus statuses[] = {
    CC_WORKFLOW_STOPPED, CC_WORKFLOW_STARTING, CC_WORKFLOW_RUNNING, CC_WORKFLOW_FAILED,
  };
  int widest = 0;

  g_return_val_if_fail (CC_IS_STATUS_CELL (self), 0);

  for (guint i = 0; i < G_N_ELEMENTS (statuses); i++)
    {
      /* The word in the label's own font (its CSS included)… */
      g_autoptr(PangoLayout) layout =
        gtk_widget_create_pango_layout (GTK_WIDGET (self->label),
                                        cc_workflow_status_to_label (statuses[i]));
      int word = 0;
      int rest = 0;

      pango_layout_get_pixel_size (layout, &word, NULL);

      /* …and everything around it, measured with the parts that status
       * shows (a failure with its error button, the widest case), so that
       * spacing, icon sizes and margins are the theme's and not guessed. */
      show_parts (self, statuses[i], FALSE, statuses[i] == CC_WORKFLOW_FAILED);
      gtk_label_set_label (self->label, "");
      gtk_widget_measure (GTK_WIDGET (self), GTK_ORIENTATION_HORIZONTAL, -1,
                          NULL, &rest, NULL, NULL);
      widest = MAX (widest, rest + word);
    }

  update (self);
  return widest;
}

static void
cc_status_cell_workflow_changed (CcWorkflowCell *cell)
{
  if (cc_workflow_cell_get_workflow (cell) != NULL)
    {
      cc_workflow_cell_watch (cell, "status", G_CALLBACK (update));
      cc_workflow_cell_watch (cell, "last-error", G_CALLBACK (update));
      cc_workflow_cell_watch (cell, "waiting", G_CALLBACK (update));
      cc_workflow_cell_watch (cell, "error-count", G_CALLBACK (update));
    }
  update (CC_STATUS_CELL (cell));
}

static void
on_error_response (AdwMessageDialog *dialog,
                   const char       *response,
                   gpointer          user_data)
{
  const char *text = g_object_get_data (G_OBJECT (dialog), "cc-error-text");

  if (g_strcmp0 (response, "copy") == 0 && text != NULL)
    gdk_clipboard_set_text (gtk_widget_get_clipboard (GTK_WIDGET (dialog)), text);
}

static void
on_error_clicked (CcStatusCell *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  g_autofree char *heading = NULL;
  CcWorkflow *workflow = cc_status_cell_get_workflow (self);
  const char *text;
  GtkWidget *dialog;

  if (workflow == NULL)
    return;

  text = cc_workflow_get_last_error (workflow);
  /* Translators: %s is a workflow's title */
  heading = g_strdup_printf (_("“%s” Failed"), cc_workflow_get_title (workflow));
  dialog = adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, heading, text);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "copy", _("_Copy"),
                                    "close", _("_Close"),
                                    NULL);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "close");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "close");
  g_object_set_data_full (G_OBJECT (dialog), "cc-error-text", g_strdup (text), g_free);
  g_signal_connect (dialog, "response", G_CALLBACK (on_error_response), NULL);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
cc_status_cell_class_init (CcStatusCellClass *klass)
{
  CcWorkflowCellClass *cell_class = CC_WORKFLOW_CELL_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  cell_class->workflow_changed = cc_status_cell_workflow_changed;

  gtk_widget_class_set_template_from_resource (widget_class, APP_PATH "/ui/cc-status-cell.ui");
  gtk_widget_class_bind_template_child (widget_class, CcStatusCell, spinner);
  gtk_widget_class_bind_template_child (widget_class, CcStatusCell, icon);
  gtk_widget_class_bind_template_child (widget_class, CcStatusCell, label);
  gtk_widget_class_bind_template_child (widget_class, CcStatusCell, error_button);
  gtk_widget_class_bind_template_callback (widget_class, on_error_clicked);
  gtk_widget_class_set_css_name (widget_class, "cc-status-cell");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
cc_status_cell_init (CcStatusCell *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
