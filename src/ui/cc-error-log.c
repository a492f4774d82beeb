/* cc-error-log.c — the error log of a workflow, for thousands of entries.
 *
 * One filter narrows everything the page shows and does: what the search
 * finds (in reasons, record ids and mappings), one reason, one record.
 * Two views of what matches: one row per reason with how many records
 * failed for it, the largest first, to see at a glance what goes wrong
 * and to retry or look into a whole reason; and every record, newest
 * first, in a virtualised list. Export… writes what matches as CSV, Retry
 * queues it again. Everything is read from the database as it is shown
 * (the engine's own calls, the same as the bus's), and read again at
 * most once a second while the workflow's log changes and the page is
 * on screen: grouping a log of a million entries takes a while, so only
 * the view in sight is read.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "cc-accessible.h"
#include "cc-error-item.h"
#include "cc-error-log.h"
#include "cc-error-model.h"
#include "cc-error-row.h"
#include "cc-time-label.h"

/* The groups view shows at most this many reasons, the largest. */
#define GROUPS_LIMIT 500
/* The log is read again at most this often while records fail. */
#define REFRESH_MS 1000

struct _CcErrorLog
{
  AdwBin                parent_instance;

  CcWorkflow           *workflow;
  CcErrorModel         *entries;
  CcErrorFilter         filter;        /* its strings owned */
  guint                 n_groups;
  guint                 refresh_id;
  gboolean              stale;         /* changed while off screen */
  gulong                count_handler;
  GtkFileChooserNative *chooser;
  GCancellable         *export_cancellable;

  GtkSearchEntry       *search_entry;
  GtkToggleButton      *groups_button;
  GtkToggleButton      *records_button;
  GtkButton            *export_button;
  GtkButton            *retry_button;
  GtkWidget            *filter_bar;
  GtkWidget            *reason_chip;
  GtkLabel             *reason_chip_label;
  GtkWidget            *record_chip;
  GtkLabel             *record_chip_label;
  GtkLabel             *count_label;
  GtkStack             *stack;
  GtkListBox           *groups_list;
  GtkLabel             *groups_note;
  GtkListView          *records_view;
};

G_DEFINE_FINAL_TYPE (CcErrorLog, cc_error_log, ADW_TYPE_BIN)

static void
add_toast (CcErrorLog *self,
           const char *message)
{
  GtkWidget *overlay = gtk_widget_get_ancestor (GTK_WIDGET (self), ADW_TYPE_TOAST_OVERLAY);

  if (overlay != NULL)
    adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (overlay), adw_toast_new (message));
}

static gboolean
is_filtered (CcErrorLog *self)
{
  return self->filter.reason != NULL || self->filter.key != NULL || self->filter.search != NULL;
}

GListModel *
cc_error_log_get_entries (CcErrorLog *self)
{
  g_return_val_if_fail (CC_IS_ERROR_LOG (self), NULL);
  return G_LIST_MODEL (self->entries);
}

guint
cc_error_log_get_n_groups (CcErrorLog *self)
{
  g_return_val_if_fail (CC_IS_ERROR_LOG (self), 0);
  return self->n_groups;
}

gboolean
cc_error_log_is_exporting (CcErrorLog *self)
{
  g_return_val_if_fail (CC_IS_ERROR_LOG (self), FALSE);
  return self->export_cancellable != NULL;
}

/* ---- the groups ---------------------------------------------------- */

static GtkWidget *
make_group_row (const CcErrorGroup *group)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *show = gtk_button_new_with_mnemonic (_("Show _Records"));
  GtkWidget *retry = gtk_button_new_with_mnemonic (_("_Retry"));
  g_autofree char *count = g_strdup_printf ("%'" G_GUINT64_FORMAT, group->count);
  g_autofree char *when = cc_time_label_format_absolute (group->last_failed_at);
  g_autofree char *subtitle = NULL;
  g_autofree char *retry_what = NULL;

  /* Translators: under a reason of the error log: how many records
   * failed for it, and when the last of them did */
  subtitle = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s record, the last at %s",
                                           "%s records, the last at %s", (gulong) group->count),
                              count, when);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), group->reason);
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_action_row_set_title_lines (ADW_ACTION_ROW (row), 4);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);

  for (GtkWidget **button = (GtkWidget *[]) { show, retry, NULL }; *button != NULL; button++)
    {
      gtk_widget_set_valign (*button, GTK_ALIGN_CENTER);
      gtk_actionable_set_action_target (GTK_ACTIONABLE (*button), "s", group->reason);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), *button);
    }
  gtk_actionable_set_action_name (GTK_ACTIONABLE (show), "errorlog.show-reason");
  gtk_actionable_set_action_name (GTK_ACTIONABLE (retry), "errorlog.retry-reason");
  gtk_widget_add_css_class (show, "flat");
  gtk_widget_set_tooltip_text (show, _("Show the Records That Failed for This Reason"));
  /* Translators: tooltip and description of a reason's Retry button */
  retry_what = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Queue This %s Record Again",
                                             "Queue These %s Records Again",
                                             (gulong) group->count), count);
  gtk_widget_set_tooltip_text (retry, retry_what);
  gtk_accessible_update_property (GTK_ACCESSIBLE (retry), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                  retry_what, -1);
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), show);
  return row;
}

static void
refresh_groups (CcErrorLog *self)
{
  g_autoptr(GPtrArray) groups = NULL;
  g_autoptr(GError) error = NULL;
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->groups_list))) != NULL)
    gtk_list_box_remove (self->groups_list, child);

  groups = cc_workflow_list_error_groups (self->workflow, &self->filter, GROUPS_LIMIT, &error);
  if (groups == NULL)
    {
      g_debug ("error log: %s", error->message);
      groups = g_ptr_array_new ();
    }
  for (guint i = 0; i < groups->len; i++)
    gtk_list_box_append (self->groups_list, make_group_row (g_ptr_array_index (groups, i)));
  self->n_groups = groups->len;

  gtk_widget_set_visible (GTK_WIDGET (self->groups_note), groups->len == GROUPS_LIMIT);
  if (groups->len == GROUPS_LIMIT)
    {
      g_autofree char *limit = g_strdup_printf ("%'u", GROUPS_LIMIT);
      g_autofree char *note = g_strdup_printf (_("The %s largest groups are shown: search to "
                                                 "find the others."), limit);

      gtk_label_set_label (self->groups_note, note);
    }
}

/* ---- what the page shows ------------------------------------------- */

static void
update_count (CcErrorLog *self,
              guint64     total,
              guint64     matching)
{
  g_autofree char *total_text = g_strdup_printf ("%'" G_GUINT64_FORMAT, total);
  g_autofree char *matching_text = g_strdup_printf ("%'" G_GUINT64_FORMAT, matching);
  g_autofree char *text = NULL;

  if (!is_filtered (self))
    text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s record could not be written",
                                         "%s records could not be written", (gulong) total),
                            total_text);
  else
    /* Translators: how many entries of the error log a search or a
     * filter finds, of how many */
    text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s of %s records matches",
                                         "%s of %s records match", (gulong) matching),
                            matching_text, total_text);
  gtk_label_set_label (self->count_label, text);
  gtk_widget_set_visible (GTK_WIDGET (self->count_label), total > 0);
}

static void
update_filter_bar (CcErrorLog *self)
{
  gtk_widget_set_visible (self->reason_chip, self->filter.reason != NULL);
  gtk_widget_set_visible (self->record_chip, self->filter.key != NULL);
  gtk_widget_set_visible (self->filter_bar, self->filter.reason != NULL || self->filter.key != NULL);
  if (self->filter.reason != NULL)
    {
      /* Translators: a filter of the error log: only this reason */
      g_autofree char *text = g_strdup_printf (_("Reason: %s"), self->filter.reason);

      gtk_label_set_label (self->reason_chip_label, text);
      gtk_widget_set_tooltip_text (GTK_WIDGET (self->reason_chip_label), self->filter.reason);
    }
  if (self->filter.key != NULL)
    {
      /* Translators: a filter of the error log: only this record id */
      g_autofree char *text = g_strdup_printf (_("Record: %s"), self->filter.key);

      gtk_label_set_label (self->record_chip_label, text);
    }
}

static void
update_buttons (CcErrorLog *self,
                guint64     matching)
{
  gboolean filtered = is_filtered (self);

  gtk_button_set_label (self->retry_button, filtered ? _("Retry _Matching") : _("Retry _All"));
  cc_accessible_rename_button (GTK_WIDGET (self->retry_button));
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->retry_button),
                               filtered ? _("Queue Every Record That Matches Again")
                                        : _("Queue Every Record of the Error Log Again"));
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->export_button),
                               filtered ? _("Save the Records That Match as CSV")
                                        : _("Save the Error Log as CSV"));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "errorlog.retry-matching", matching > 0);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "errorlog.export",
                                 matching > 0 && self->export_cancellable == NULL);
}

const char *
cc_error_log_get_view (CcErrorLog *self)
{
  g_return_val_if_fail (CC_IS_ERROR_LOG (self), NULL);
  return gtk_toggle_button_get_active (self->groups_button) ? "groups" : "records";
}

void
cc_error_log_refresh (CcErrorLog *self)
{
  g_autoptr(GError) error = NULL;
  const char *page;
  guint64 total, matching;

  g_return_if_fail (CC_IS_ERROR_LOG (self));

  g_clear_handle_id (&self->refresh_id, g_source_remove);
  self->stale = FALSE;
  if (self->workflow == NULL)
    return;

  total = cc_workflow_count_errors (self->workflow, NULL, &error);
  matching = is_filtered (self) ? cc_workflow_count_errors (self->workflow, &self->filter, &error)
                                : total;
  if (error != NULL)
    g_debug ("error log: %s", error->message);
  cc_error_model_set_filter (self->entries, &self->filter);
  if (g_str_equal (cc_error_log_get_view (self), "groups"))
    refresh_groups (self);
  update_count (self, total, matching);
  update_filter_bar (self);
  update_buttons (self, matching);

  if (total == 0)
    page = "empty";
  else if (matching == 0)
    page = "no-match";
  else
    page = cc_error_log_get_view (self);
  gtk_stack_set_visible_child_name (self->stack, page);
}

static gboolean
on_refresh_due (gpointer user_data)
{
  CcErrorLog *self = user_data;

  self->refresh_id = 0;
  cc_error_log_refresh (self);
  return G_SOURCE_REMOVE;
}

/* The log changes many times a second while records fail; off screen,
 * it is read again once it is shown. */
static void
on_error_count_changed (CcErrorLog *self)
{
  if (!gtk_widget_get_mapped (GTK_WIDGET (self)))
    self->stale = TRUE;
  else if (self->refresh_id == 0)
    self->refresh_id = g_timeout_add (REFRESH_MS, on_refresh_due, self);
}

static void
cc_error_log_map (GtkWidget *widget)
{
  CcErrorLog *self = CC_ERROR_LOG (widget);

  GTK_WIDGET_CLASS (cc_error_log_parent_class)->map (widget);
  if (self->stale)
    cc_error_log_refresh (self);
}

void
cc_error_log_set_workflow (CcErrorLog *self,
                           CcWorkflow *workflow)
{
  g_autoptr(GtkNoSelection) selection = NULL;

  g_return_if_fail (CC_IS_ERROR_LOG (self));
  g_return_if_fail (CC_IS_WORKFLOW (workflow));
  g_return_if_fail (self->workflow == NULL);

  self->workflow = g_object_ref (workflow);
  self->entries = cc_error_model_new (workflow);
  selection = gtk_no_selection_new (g_object_ref (G_LIST_MODEL (self->entries)));
  gtk_list_view_set_model (self->records_view, GTK_SELECTION_MODEL (selection));
  self->count_handler = g_signal_connect_swapped (workflow, "notify::error-count",
                                                  G_CALLBACK (on_error_count_changed), self);
  cc_error_log_refresh (self);
}

/* ---- the filter ------------------------------------------------------ */

static void
set_text (const char **field,
          const char  *text)
{
  g_free ((char *) *field);
  *field = text != NULL && *text != '\0' ? g_strdup (text) : NULL;
}

void
cc_error_log_show_view (CcErrorLog *self,
                        const char *view)
{
  g_return_if_fail (CC_IS_ERROR_LOG (self));

  gtk_toggle_button_set_active (g_strcmp0 (view, "records") == 0 ? self->records_button
                                                                  : self->groups_button,
                                TRUE);
}

void
cc_error_log_show_reason (CcErrorLog *self,
                          const char *reason)
{
  g_return_if_fail (CC_IS_ERROR_LOG (self));

  set_text (&self->filter.reason, reason);
  if (reason != NULL)
    cc_error_log_show_view (self, "records");
  cc_error_log_refresh (self);
}

void
cc_error_log_show_record (CcErrorLog *self,
                          const char *key)
{
  g_return_if_fail (CC_IS_ERROR_LOG (self));

  set_text (&self->filter.key, key);
  if (key != NULL)
    cc_error_log_show_view (self, "records");
  cc_error_log_refresh (self);
}

static void
on_search_changed (CcErrorLog *self)
{
  set_text (&self->filter.search, gtk_editable_get_text (GTK_EDITABLE (self->search_entry)));
  cc_error_log_refresh (self);
}

static void
on_view_toggled (CcErrorLog *self)
{
  cc_error_log_refresh (self);
}

static void
show_reason_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  cc_error_log_show_reason (CC_ERROR_LOG (widget), g_variant_get_string (parameter, NULL));
}

static void
show_record_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  cc_error_log_show_record (CC_ERROR_LOG (widget), g_variant_get_string (parameter, NULL));
}

static void
clear_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  CcErrorLog *self = CC_ERROR_LOG (widget);

  if (g_str_equal (action_name, "errorlog.clear-reason"))
    cc_error_log_show_reason (self, NULL);
  else
    cc_error_log_show_record (self, NULL);
}

/* ---- retry --------------------------------------------------------- */

static void
retry (CcErrorLog          *self,
       const CcErrorFilter *filter)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *count = NULL;
  g_autofree char *message = NULL;
  gint64 n;

  n = cc_workflow_retry_errors_matching (self->workflow, filter, &error);
  if (n < 0)
    {
      add_toast (self, error->message);
      return;
    }
  count = g_strdup_printf ("%'" G_GINT64_FORMAT, n);
  message = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s record queued again",
                                          "%s records queued again", (gulong) n), count);
  add_toast (self, message);
  cc_error_log_refresh (self);
}

static void
retry_one_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  const CcErrorFilter filter = { g_variant_get_int64 (parameter), NULL, NULL, NULL };

  /* 0 would mean all of them. */
  if (filter.id > 0)
    retry (CC_ERROR_LOG (widget), &filter);
}

/* A reason's Retry: that reason, within the search and record shown. */
static void
retry_reason_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  CcErrorLog *self = CC_ERROR_LOG (widget);
  CcErrorFilter filter = self->filter;

  filter.reason = g_variant_get_string (parameter, NULL);
  retry (self, &filter);
}

static void
retry_matching_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  CcErrorLog *self = CC_ERROR_LOG (widget);

  retry (self, &self->filter);
}

static void
copy_payload_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  CcErrorLog *self = CC_ERROR_LOG (widget);
  gint64 id = g_variant_get_int64 (parameter);
  GListModel *model = G_LIST_MODEL (self->entries);

  /* The row's item is on screen, so its page is in memory. */
  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(CcErrorItem) item = g_list_model_get_item (model, i);

      if (item != NULL && cc_error_item_get_entry (item)->id == id)
        {
          g_autofree char *text = cc_error_item_dup_payload_text (item);

          gdk_clipboard_set_text (gtk_widget_get_clipboard (widget), text);
          add_toast (self, _("Payload copied"));
          return;
        }
    }
}

/* ---- export -------------------------------------------------------- */

static void
on_exported (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(CcErrorLog) self = user_data;
  g_autoptr(GFile) file = g_object_steal_data (G_OBJECT (self), "cc-export-file");
  g_autoptr(GError) error = NULL;
  g_autofree char *name = NULL;
  g_autofree char *message = NULL;
  gint64 n;

  n = cc_workflow_export_errors_finish (CC_WORKFLOW (source), result, &error);
  g_clear_object (&self->export_cancellable);
  name = file != NULL ? g_file_get_basename (file) : g_strdup ("");
  if (n < 0)
    /* Translators: the file, then why it could not be written */
    message = g_strdup_printf (_("Could not export to “%s”: %s"), name, error->message);
  else
    {
      g_autofree char *count = g_strdup_printf ("%'" G_GINT64_FORMAT, n);

      message = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s record exported to “%s”",
                                              "%s records exported to “%s”", (gulong) n),
                                 count, name);
    }
  add_toast (self, message);
  if (self->workflow != NULL)
    cc_error_log_refresh (self);
}

void
cc_error_log_export_to (CcErrorLog *self,
                        GFile      *file)
{
  g_autoptr(GFileOutputStream) stream = NULL;
  g_autoptr(GError) error = NULL;

  g_return_if_fail (CC_IS_ERROR_LOG (self));
  g_return_if_fail (G_IS_FILE (file));

  stream = g_file_replace (file, NULL, FALSE, G_FILE_CREATE_NONE, NULL, &error);
  if (stream == NULL)
    {
      g_autofree char *name = g_file_get_basename (file);
      g_autofree char *message = g_strdup_printf (_("Could not export to “%s”: %s"), name,
                                                  error->message);

      add_toast (self, message);
      return;
    }
  self->export_cancellable = g_cancellable_new ();
  g_object_set_data_full (G_OBJECT (self), "cc-export-file", g_object_ref (file), g_object_unref);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "errorlog.export", FALSE);
  cc_workflow_export_errors_async (self->workflow, &self->filter, G_OUTPUT_STREAM (stream),
                                   self->export_cancellable, on_exported, g_object_ref (self));
}

static void
on_chooser_response (GtkNativeDialog *chooser,
                     int              response,
                     CcErrorLog      *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));

      if (file != NULL)
        cc_error_log_export_to (self, file);
    }
  g_clear_object (&self->chooser);
}

static void
export_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  CcErrorLog *self = CC_ERROR_LOG (widget);
  GtkRoot *root = gtk_widget_get_root (widget);
  g_autoptr(GtkFileFilter) csv = gtk_file_filter_new ();
  g_autofree char *name = NULL;

  if (self->chooser != NULL)
    return;
  self->chooser = gtk_file_chooser_native_new (_("Export the Error Log"),
                                               GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                               GTK_FILE_CHOOSER_ACTION_SAVE, _("_Export"),
                                               _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (self->chooser), TRUE);
  /* Translators: the name a CSV export of the error log is given; %s is
   * the workflow's id (ingress, egress, optinout) */
  name = g_strdup_printf (_("%s-errors.csv"), cc_workflow_get_id (self->workflow));
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (self->chooser), name);
  gtk_file_filter_set_name (csv, _("CSV files"));
  gtk_file_filter_add_suffix (csv, "csv");
  gtk_file_filter_add_mime_type (csv, "text/csv");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (self->chooser), csv);
  g_signal_connect (self->chooser, "response", G_CALLBACK (on_chooser_response), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
}

/* ---- life ---------------------------------------------------------- */

static void
on_row_setup (GtkSignalListItemFactory *factory,
              GtkListItem              *item,
              gpointer                  user_data)
{
  gtk_list_item_set_child (item, GTK_WIDGET (cc_error_row_new ()));
  gtk_list_item_set_activatable (item, FALSE);
}

static void
on_row_bind (GtkSignalListItemFactory *factory,
             GtkListItem              *item,
             gpointer                  user_data)
{
  cc_error_row_set_item (CC_ERROR_ROW (gtk_list_item_get_child (item)),
                         gtk_list_item_get_item (item));
}

static void
on_row_unbind (GtkSignalListItemFactory *factory,
               GtkListItem              *item,
               gpointer                  user_data)
{
  cc_error_row_set_item (CC_ERROR_ROW (gtk_list_item_get_child (item)), NULL);
}

static void
cc_error_log_dispose (GObject *object)
{
  CcErrorLog *self = CC_ERROR_LOG (object);

  g_clear_handle_id (&self->refresh_id, g_source_remove);
  if (self->workflow != NULL)
    g_clear_signal_handler (&self->count_handler, self->workflow);
  /* An export under way ends on its own; it no longer needs us. */
  if (self->export_cancellable != NULL)
    g_cancellable_cancel (self->export_cancellable);
  if (self->chooser != NULL)
    gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->chooser));
  g_clear_object (&self->chooser);
  /* AdwBin lets go of the template's content, and so of every part. */
  g_clear_object (&self->entries);
  g_clear_object (&self->workflow);

  G_OBJECT_CLASS (cc_error_log_parent_class)->dispose (object);
}

static void
cc_error_log_finalize (GObject *object)
{
  CcErrorLog *self = CC_ERROR_LOG (object);

  cc_error_filter_clear (&self->filter);
  g_clear_object (&self->export_cancellable);

  G_OBJECT_CLASS (cc_error_log_parent_class)->finalize (object);
}

static void
cc_error_log_class_init (CcErrorLogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cc_error_log_dispose;
  object_class->finalize = cc_error_log_finalize;
  widget_class->map = cc_error_log_map;

  gtk_widget_class_set_template_from_resource (widget_class, APP_PATH "/ui/cc-error-log.ui");
  gtk_widget_class_bind_template_child (widget_class, CcErrorLog, search_entry);
  gtk_widget_class_bind_template_child (widget_class, CcErrorLog, groups_button);
  gtk_widget_class_bind_template_child (widget_class, CcErrorLog, records_button);
  gtk_widget_class_bind_template_child (widget_class, CcErrorLog, export_button);
  gtk_widget_class_bind_template_child (widget_class, CcErrorLog, retry_button);
  gtk_widget_class_bind_template_child (widget_class, CcErrorLog, filter_bar);
  gtk_widget_class_bind_template_child (widget_class, CcErrorLog, reason_chip);
  gtk_widget_class_bind_template_child (widget_class, CcErrorLog, reason_chip_label);
  gtk_widget_class_bind_template_child (widget_class, CcErrorLog, record_chip);
  gtk_widget_class_bind_template_child (widget_class, CcErrorLog, record_chip_label);
  gtk_widget_class_bind_template_child (widget_class, CcErrorLog, count_label);
  gtk_widget_class_bind_template_child (widget_class, CcErrorLog, stack);
  gtk_widget_class_bind_template_child (widget_class, CcErrorLog, groups_list);
  gtk_widget_class_bind_template_child (widget_class, CcErrorLog, groups_note);
  gtk_widget_class_bind_template_child (widget_class, CcErrorLog, records_view);
  gtk_widget_class_bind_template_callback (widget_class, on_search_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_view_toggled);

  gtk_widget_class_install_action (widget_class, "errorlog.retry-one", "x", retry_one_action);
  gtk_widget_class_install_action (widget_class, "errorlog.retry-reason", "s",
                                   retry_reason_action);
  gtk_widget_class_install_action (widget_class, "errorlog.retry-matching", NULL,
                                   retry_matching_action);
  gtk_widget_class_install_action (widget_class, "errorlog.copy-payload", "x",
                                   copy_payload_action);
  gtk_widget_class_install_action (widget_class, "errorlog.show-reason", "s", show_reason_action);
  gtk_widget_class_install_action (widget_class, "errorlog.show-record", "s", show_record_action);
  gtk_widget_class_install_action (widget_class, "errorlog.clear-reason", NULL, clear_action);
  gtk_widget_class_install_action (widget_class, "errorlog.clear-record", NULL, clear_action);
  gtk_widget_class_install_action (widget_class, "errorlog.export", NULL, export_action);
  gtk_widget_class_set_css_name (widget_class, "cc-error-log");
}

static void
cc_error_log_init (CcErrorLog *self)
{
  g_autoptr(GtkListItemFactory) factory = gtk_signal_list_item_factory_new ();

  gtk_widget_init_template (GTK_WIDGET (self));
  g_signal_connect (factory, "setup", G_CALLBACK (on_row_setup), NULL);
  g_signal_connect (factory, "bind", G_CALLBACK (on_row_bind), NULL);
  g_signal_connect (factory, "unbind", G_CALLBACK (on_row_unbind), NULL);
  gtk_list_view_set_factory (self->records_view, factory);
  /* Typing anywhere in the log searches it. */
  gtk_search_entry_set_key_capture_widget (self->search_entry, GTK_WIDGET (self));
}
