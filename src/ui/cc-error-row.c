/* cc-error-row.c — one entry of the error log in the details window.
 *
 * Rows are recycled by the list view: everything shown comes from the
 * current item, and the payload folds away again on every new item. The
 * buttons fire errorlog.retry-one and errorlog.copy-payload with the
 * entry id as target, and errorlog.show-record with the record id.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "cc-accessible.h"
#include "cc-error-row.h"
#include "cc-time-label.h"

struct _CcErrorRow
{
  GtkWidget       parent_instance;

  CcErrorItem    *item;

  GtkLabel       *reason_label;
  GtkLabel       *status_label;
  GtkLabel       *time_label;
  GtkLabel       *record_label;
  GtkButton      *record_button;
  GtkToggleButton *payload_button;
  GtkButton      *copy_button;
  GtkButton      *retry_button;
  GtkRevealer    *payload_revealer;
  GtkLabel       *payload_label;
};

G_DEFINE_FINAL_TYPE (CcErrorRow, cc_error_row, GTK_TYPE_WIDGET)

CcErrorRow *
cc_error_row_new (void)
{
  return g_object_new (CC_TYPE_ERROR_ROW, NULL);
}

CcErrorItem *
cc_error_row_get_item (CcErrorRow *self)
{
  g_return_val_if_fail (CC_IS_ERROR_ROW (self), NULL);
  return self->item;
}

static void
on_payload_toggled (CcErrorRow *self)
{
  gboolean active = gtk_toggle_button_get_active (self->payload_button);

  /* The payload is formatted only when asked for. */
  if (active && self->item != NULL)
    {
      g_autofree char *text = cc_error_item_dup_payload_text (self->item);
      gtk_label_set_label (self->payload_label, text);
    }
  gtk_revealer_set_reveal_child (self->payload_revealer, active);
}

void
cc_error_row_set_item (CcErrorRow  *self,
                       CcErrorItem *item)
{
  const CcErrorEntry *entry;
  g_autofree char *status = NULL;
  g_autofree char *when = NULL;
  g_autofree char *record = NULL;

  g_return_if_fail (CC_IS_ERROR_ROW (self));

  g_set_object (&self->item, item);
  gtk_toggle_button_set_active (self->payload_button, FALSE);
  gtk_revealer_set_reveal_child (self->payload_revealer, FALSE);
  gtk_label_set_label (self->payload_label, "");

  if (item == NULL)
    {
      gtk_actionable_set_action_name (GTK_ACTIONABLE (self->retry_button), NULL);
      gtk_actionable_set_action_name (GTK_ACTIONABLE (self->copy_button), NULL);
      gtk_actionable_set_action_name (GTK_ACTIONABLE (self->record_button), NULL);
      return;
    }

  entry = cc_error_item_get_entry (item);
  gtk_label_set_label (self->reason_label, entry->reason ? entry->reason : "");
  if (entry->http_status != 0)
    /* Translators: the HTTP status code of a refused write */
    status = g_strdup_printf (_("HTTP %u"), entry->http_status);
  gtk_label_set_label (self->status_label, status ? status : "");
  gtk_widget_set_visible (GTK_WIDGET (self->status_label), status != NULL);
  when = cc_time_label_format_absolute (entry->failed_at);
  gtk_label_set_label (self->time_label, when);
  /* Translators: which record failed: its mapping and its id */
  record = g_strdup_printf (_("%s · %s"), entry->mapping ? entry->mapping : "",
                            entry->key ? entry->key : "");
  gtk_label_set_label (self->record_label, record);
  {
    /* Translators: how a screen reader announces an error-log row: the
     * reason, then which record */
    g_autofree char *name = g_strdup_printf (_("%s, %s"), entry->reason ? entry->reason : "",
                                             record);

    cc_accessible_name_list_row (GTK_WIDGET (self), name);
  }

  gtk_actionable_set_action_target (GTK_ACTIONABLE (self->retry_button), "x", entry->id);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (self->retry_button), "errorlog.retry-one");
  gtk_actionable_set_action_target (GTK_ACTIONABLE (self->copy_button), "x", entry->id);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (self->copy_button), "errorlog.copy-payload");
  gtk_actionable_set_action_target (GTK_ACTIONABLE (self->record_button), "s",
                                    entry->key ? entry->key : "");
  gtk_actionable_set_action_name (GTK_ACTIONABLE (self->record_button), "errorlog.show-record");
}

static void
cc_error_row_dispose (GObject *object)
{
  CcErrorRow *self = CC_ERROR_ROW (object);
  GtkWidget *child;

  g_clear_object (&self->item);
  if (gtk_widget_get_template_child (GTK_WIDGET (self), CC_TYPE_ERROR_ROW, "reason_label") != NULL)
    gtk_widget_dispose_template (GTK_WIDGET (self), CC_TYPE_ERROR_ROW);
  /* GTK 4.8 unparents only the named children of a template. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (cc_error_row_parent_class)->dispose (object);
}

static void
cc_error_row_class_init (CcErrorRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cc_error_row_dispose;

  gtk_widget_class_set_template_from_resource (widget_class, APP_PATH "/ui/cc-error-row.ui");
  gtk_widget_class_bind_template_child (widget_class, CcErrorRow, reason_label);
  gtk_widget_class_bind_template_child (widget_class, CcErrorRow, status_label);
  gtk_widget_class_bind_template_child (widget_class, CcErrorRow, time_label);
  gtk_widget_class_bind_template_child (widget_class, CcErrorRow, record_label);
  gtk_widget_class_bind_template_child (widget_class, CcErrorRow, record_button);
  gtk_widget_class_bind_template_child (widget_class, CcErrorRow, payload_button);
  gtk_widget_class_bind_template_child (widget_class, CcErrorRow, copy_button);
  gtk_widget_class_bind_template_child (widget_class, CcErrorRow, retry_button);
  gtk_widget_class_bind_template_child (widget_class, CcErrorRow, payload_revealer);
  gtk_widget_class_bind_template_child (widget_class, CcErrorRow, payload_label);
  gtk_widget_class_bind_template_callback (widget_class, on_payload_toggled);
  gtk_widget_class_set_css_name (widget_class, "cc-error-row");
}

static void
cc_error_row_init (CcErrorRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
