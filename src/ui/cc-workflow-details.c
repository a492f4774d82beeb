/* cc-workflow-details.c — a window about one workflow.
 *
 * Activity: the live counters (bound to the workflow), what the workflow
 * has to say about its run (a failure, or a notice such as a table being
 * polled) and the graph of the last hour or day, as the engine kept it.
 * History: starts, stops, failures, replays, conflicts and notices with
 * their counts. Error log: every record that could not be written
 * (CcErrorLog), its tab marked while it holds any. Replay everything, or
 * what changed since a day and time.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "cc-activity-graph.h"
#include "cc-check-dialog.h"
#include "cc-error-log.h"
#include "cc-time-label.h"
#include "cc-tooltips.h"
#include "cc-workflow-details.h"

#define HISTORY_LIMIT 200

struct _CcWorkflowDetails
{
  AdwWindow         parent_instance;

  CcEngine         *engine;
  CcWorkflow       *workflow;
  guint             n_history;

  AdwToastOverlay  *toast_overlay;
  AdwWindowTitle   *window_title;
  AdwViewStack     *view_stack;
  GtkCheckButton   *replay_since_check;
  GtkCalendar      *replay_calendar;
  GtkSpinButton    *replay_hour;
  GtkSpinButton    *replay_minute;
  GtkMenuButton    *replay_button;
  GtkLabel         *status_value;
  GtkLabel         *backlog_value;
  GtkLabel         *written_value;
  GtkLabel         *failed_value;
  GtkLabel         *rate_value;
  GtkLabel         *last_error_label;
  GtkWidget        *notice_box;
  GtkLabel         *notice_label;
  CcTimeLabel      *activity_label;
  GtkToggleButton  *day_button;
  CcActivityGraph  *graph;
  GtkListBox       *history_list;
  AdwViewStackPage *errors_page;
  CcErrorLog       *error_log;
};

enum {
  PROP_0,
  PROP_ENGINE,
  PROP_WORKFLOW,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (CcWorkflowDetails, cc_workflow_details, ADW_TYPE_WINDOW)

CcWorkflowDetails *
cc_workflow_details_new (CcEngine   *engine,
                         CcWorkflow *workflow)
{
  return g_object_new (CC_TYPE_WORKFLOW_DETAILS, "engine", engine, "workflow", workflow, NULL);
}

CcWorkflow *
cc_workflow_details_get_workflow (CcWorkflowDetails *self)
{
  g_return_val_if_fail (CC_IS_WORKFLOW_DETAILS (self), NULL);
  return self->workflow;
}

void
cc_workflow_details_show_page (CcWorkflowDetails *self,
                               const char        *name)
{
  g_return_if_fail (CC_IS_WORKFLOW_DETAILS (self));
  adw_view_stack_set_visible_child_name (self->view_stack, name);
}

guint
cc_workflow_details_get_n_history (CcWorkflowDetails *self)
{
  g_return_val_if_fail (CC_IS_WORKFLOW_DETAILS (self), 0);
  return self->n_history;
}

CcErrorLog *
cc_workflow_details_get_error_log (CcWorkflowDetails *self)
{
  g_return_val_if_fail (CC_IS_WORKFLOW_DETAILS (self), NULL);
  return self->error_log;
}

static void
add_toast (CcWorkflowDetails *self,
           const char        *message)
{
  adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (message));
}

/* ---- counters ------------------------------------------------------ */

static gboolean
format_count (GBinding     *binding,
              const GValue *from,
              GValue       *to,
              gpointer      user_data)
{
  g_value_take_string (to, g_strdup_printf ("%'" G_GUINT64_FORMAT, g_value_get_uint64 (from)));
  return TRUE;
}

static gboolean
format_rate (GBinding     *binding,
             const GValue *from,
             GValue       *to,
             gpointer      user_data)
{
  g_value_take_string (to, g_strdup_printf ("%'.1f", g_value_get_double (from)));
  return TRUE;
}

static gboolean
format_status (GBinding     *binding,
               const GValue *from,
               GValue       *to,
               gpointer      user_data)
{
  g_value_set_string (to, cc_workflow_status_to_label (g_value_get_enum (from)));
  return TRUE;
}

static void
update_last_error (CcWorkflowDetails *self)
{
  const char *error = cc_workflow_get_last_error (self->workflow);
  CcWorkflowStatus status = cc_workflow_get_status (self->workflow);
  /* Failed, or Starting for longer than it should, says why. */
  gboolean said = status == CC_WORKFLOW_FAILED || status == CC_WORKFLOW_STARTING;

  gtk_label_set_label (self->last_error_label, error);
  gtk_widget_set_visible (GTK_WIDGET (self->last_error_label), said && *error != '\0');
}

/* What the workflow says about its run that is no failure (e.g. that a
 * table is polled): shown beside the counters, not as an error. */
static void
update_notice (CcWorkflowDetails *self)
{
  const char *notice = cc_workflow_get_notice (self->workflow);

  gtk_label_set_label (self->notice_label, notice);
  gtk_widget_set_visible (self->notice_box, *notice != '\0');
}

static void
on_span_toggled (CcWorkflowDetails *self)
{
  cc_activity_graph_set_span (self->graph, gtk_toggle_button_get_active (self->day_button)
                                           ? CC_ACTIVITY_DAY : CC_ACTIVITY_HOUR);
}

/* ---- history ------------------------------------------------------- */

static char *
history_title (const CcHistoryEntry *entry)
{
  const char *kind = entry->kind;
  const char *message = entry->message;

  if (g_strcmp0 (kind, "start") == 0)
    return g_strdup (C_("history", "Started"));
  if (g_strcmp0 (kind, "stop") == 0)
    return g_strdup (C_("history", "Stopped"));
  if (g_strcmp0 (kind, "fail") == 0)
    /* Translators: a run that failed, then the reason */
    return g_strdup_printf (C_("history", "Failed: %s"), message ? message : "");
  if (g_strcmp0 (kind, "replay") == 0)
    /* Translators: a replay was asked for; %s says since when */
    return g_strdup_printf (C_("history", "Replay (%s)"), message ? message : "");
  if (g_strcmp0 (kind, "conflict") == 0)
    /* Translators: a conflict between both systems, then what was decided */
    return g_strdup_printf (C_("history", "Conflict: %s"), message ? message : "");
  /* A notice says it all, in the engine's words (already translated). */
  if (g_strcmp0 (kind, "notice") == 0 && message != NULL)
    return g_strdup (message);
  if (message != NULL && *message != '\0')
    return g_strdup_printf ("%s: %s", kind, message);
  return g_strdup (kind);
}

static const char *
history_icon (const char *kind)
{
  if (g_strcmp0 (kind, "start") == 0)
    return "media-playback-start-symbolic";
  if (g_strcmp0 (kind, "stop") == 0)
    return "media-playback-stop-symbolic";
  if (g_strcmp0 (kind, "fail") == 0)
    return "dialog-error-symbolic";
  if (g_strcmp0 (kind, "replay") == 0)
    return "view-refresh-symbolic";
  return "dialog-information-symbolic";
}

static void
refresh_history (CcWorkflowDetails *self)
{
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GError) error = NULL;
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->history_list))) != NULL)
    gtk_list_box_remove (self->history_list, child);

  entries = cc_workflow_list_history (self->workflow, HISTORY_LIMIT, &error);
  if (entries == NULL)
    {
      g_debug ("history: %s", error->message);
      entries = g_ptr_array_new ();
    }
  self->n_history = entries->len;

  for (guint i = 0; i < entries->len; i++)
    {
      const CcHistoryEntry *entry = g_ptr_array_index (entries, i);
      g_autofree char *title = history_title (entry);
      g_autofree char *when = cc_time_label_format_absolute (entry->at);
      g_autofree char *written = g_strdup_printf ("%'" G_GUINT64_FORMAT, entry->written);
      g_autofree char *failed = g_strdup_printf ("%'" G_GUINT64_FORMAT, entry->failed);
      g_autofree char *subtitle = NULL;
      GtkWidget *row = adw_action_row_new ();
      GtkWidget *icon = gtk_image_new_from_icon_name (history_icon (entry->kind));

      /* Translators: a history entry: when, then the run's counts */
      subtitle = g_strdup_printf (_("%s — %s written, %s failed"), when, written, failed);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_action_row_set_title_lines (ADW_ACTION_ROW (row), 3);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
      if (g_strcmp0 (entry->kind, "fail") == 0)
        gtk_widget_add_css_class (icon, "error");
      adw_action_row_add_prefix (ADW_ACTION_ROW (row), icon);
      gtk_list_box_append (self->history_list, row);
    }

  if (entries->len == 0)
    {
      GtkWidget *row = adw_action_row_new ();

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _("This workflow has not run yet"));
      gtk_list_box_append (self->history_list, row);
    }
}

/* The tab says that records wait in the error log. */
static void
update_errors_page (CcWorkflowDetails *self)
{
  adw_view_stack_page_set_needs_attention (self->errors_page,
                                           cc_workflow_get_error_count (self->workflow) > 0);
}

void
cc_workflow_details_refresh (CcWorkflowDetails *self)
{
  g_return_if_fail (CC_IS_WORKFLOW_DETAILS (self));

  refresh_history (self);
  cc_error_log_refresh (self->error_log);
}

static void
on_status_changed (CcWorkflowDetails *self)
{
  update_last_error (self);
  refresh_history (self);
}

/* A run records its notices in the history as it gives them. */
static void
on_notice_changed (CcWorkflowDetails *self)
{
  update_notice (self);
  refresh_history (self);
}

/* ---- replay -------------------------------------------------------- */

/* The local time the "changed since" choice stands for. */
static GDateTime *
replay_since (CcWorkflowDetails *self)
{
  g_autoptr(GDateTime) day = gtk_calendar_get_date (self->replay_calendar);

  return g_date_time_new_local (g_date_time_get_year (day),
                                g_date_time_get_month (day),
                                g_date_time_get_day_of_month (day),
                                gtk_spin_button_get_value_as_int (self->replay_hour),
                                gtk_spin_button_get_value_as_int (self->replay_minute),
                                0);
}

static void
replay_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  CcWorkflowDetails *self = CC_WORKFLOW_DETAILS (widget);
  g_autoptr(GDateTime) local = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *since = NULL;
  g_autofree char *message = NULL;

  if (gtk_check_button_get_active (self->replay_since_check))
    {
      g_autoptr(GDateTime) utc = NULL;

      local = replay_since (self);
      utc = g_date_time_to_utc (local);
      since = g_date_time_format_iso8601 (utc);
    }
  else
    since = g_strdup ("all");

  gtk_menu_button_popdown (self->replay_button);
  if (!cc_workflow_replay (self->workflow, since, &error))
    {
      add_toast (self, error->message);
      return;
    }
  if (local == NULL)
    message = g_strdup (_("Every record will be read and written again"));
  else
    {
      g_autofree char *when = cc_time_label_format_absolute (g_date_time_to_unix (local)
                                                             * G_USEC_PER_SEC);

      /* Translators: %s is a date and time */
      message = g_strdup_printf (_("Records changed since %s will be read and written again"), when);
    }
  add_toast (self, message);
  refresh_history (self);
}

/* ---- life ---------------------------------------------------------- */

static void
cc_workflow_details_constructed (GObject *object)
{
  CcWorkflowDetails *self = CC_WORKFLOW_DETAILS (object);
  g_autofree char *title = NULL;
  const GBindingFlags flags = G_BINDING_SYNC_CREATE;

  G_OBJECT_CLASS (cc_workflow_details_parent_class)->constructed (object);

  g_assert (CC_IS_ENGINE (self->engine));
  g_assert (CC_IS_WORKFLOW (self->workflow));

  /* Translators: title of the details window; %s is a workflow */
  title = g_strdup_printf (_("%s — Details"), cc_workflow_get_title (self->workflow));
  gtk_window_set_title (GTK_WINDOW (self), title);
  /* The header says which workflow this is; the view switcher sits
   * below it. */
  adw_window_title_set_title (self->window_title, cc_workflow_get_title (self->workflow));

  g_object_bind_property_full (self->workflow, "status", self->status_value, "label", flags,
                               format_status, NULL, NULL, NULL);
  g_object_bind_property_full (self->workflow, "backlog", self->backlog_value, "label", flags,
                               format_count, NULL, NULL, NULL);
  g_object_bind_property_full (self->workflow, "written", self->written_value, "label", flags,
                               format_count, NULL, NULL, NULL);
  g_object_bind_property_full (self->workflow, "failed", self->failed_value, "label", flags,
                               format_count, NULL, NULL, NULL);
  g_object_bind_property_full (self->workflow, "records-per-second", self->rate_value, "label",
                               flags, format_rate, NULL, NULL, NULL);
  g_object_bind_property (self->workflow, "last-activity", self->activity_label, "time", flags);
  g_signal_connect_object (self->workflow, "notify::status", G_CALLBACK (on_status_changed),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->workflow, "notify::last-error", G_CALLBACK (update_last_error),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->workflow, "notify::error-count",
                           G_CALLBACK (update_errors_page), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->workflow, "notify::notice", G_CALLBACK (on_notice_changed),
                           self, G_CONNECT_SWAPPED);
  update_last_error (self);
  update_notice (self);
  update_errors_page (self);
  cc_activity_graph_set_activity (self->graph, cc_workflow_get_activity (self->workflow));

  cc_error_log_set_workflow (self->error_log, self->workflow);
  refresh_history (self);
}

static void
cc_workflow_details_dispose (GObject *object)
{
  CcWorkflowDetails *self = CC_WORKFLOW_DETAILS (object);

  /* Bindings and handlers end with the widgets they feed. */
  if (self->workflow != NULL)
    g_signal_handlers_disconnect_by_data (self->workflow, self);
  if (gtk_widget_get_template_child (GTK_WIDGET (self), CC_TYPE_WORKFLOW_DETAILS, "view_stack") != NULL)
    gtk_widget_dispose_template (GTK_WIDGET (self), CC_TYPE_WORKFLOW_DETAILS);

  G_OBJECT_CLASS (cc_workflow_details_parent_class)->dispose (object);
}

static void
cc_workflow_details_finalize (GObject *object)
{
  CcWorkflowDetails *self = CC_WORKFLOW_DETAILS (object);

  g_clear_object (&self->workflow);
  g_clear_object (&self->engine);

  G_OBJECT_CLASS (cc_workflow_details_parent_class)->finalize (object);
}

static void
cc_workflow_details_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  CcWorkflowDetails *self = CC_WORKFLOW_DETAILS (object);

  switch (prop_id)
    {
    case PROP_ENGINE:
      g_value_set_object (value, self->engine);
      break;
    case PROP_WORKFLOW:
      g_value_set_object (value, self->workflow);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

/* The setup check of this workflow, over this window. */
static void
check_setup_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  CcWorkflowDetails *self = CC_WORKFLOW_DETAILS (widget);
  CcCheckDialog *dialog = cc_check_dialog_new (self->engine, cc_workflow_get_id (self->workflow));

  gtk_window_set_transient_for (GTK_WINDOW (dialog), GTK_WINDOW (self));
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
cc_workflow_details_set_property (GObject      *object,
                                  guint         prop_id,
                                  const GValue *value,
                                  GParamSpec   *pspec)
{
  CcWorkflowDetails *self = CC_WORKFLOW_DETAILS (object);

  switch (prop_id)
    {
    case PROP_ENGINE:
      self->engine = g_value_dup_object (value);
      break;
    case PROP_WORKFLOW:
      self->workflow = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cc_workflow_details_class_init (CcWorkflowDetailsClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = cc_workflow_details_constructed;
  object_class->dispose = cc_workflow_details_dispose;
  object_class->finalize = cc_workflow_details_finalize;
  object_class->get_property = cc_workflow_details_get_property;
  object_class->set_property = cc_workflow_details_set_property;

  properties[PROP_ENGINE] =
    g_param_spec_object ("engine", NULL, NULL, CC_TYPE_ENGINE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_WORKFLOW] =
    g_param_spec_object ("workflow", NULL, NULL, CC_TYPE_WORKFLOW,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (CC_TYPE_TIME_LABEL);
  g_type_ensure (CC_TYPE_ACTIVITY_GRAPH);
  g_type_ensure (CC_TYPE_ERROR_LOG);
  gtk_widget_class_set_template_from_resource (widget_class, APP_PATH "/ui/cc-workflow-details.ui");
  gtk_widget_class_bind_template_child (widget_class, CcWorkflowDetails, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, CcWorkflowDetails, window_title);
  gtk_widget_class_bind_template_child (widget_class, CcWorkflowDetails, view_stack);
  gtk_widget_class_bind_template_child (widget_class, CcWorkflowDetails, replay_button);
  gtk_widget_class_bind_template_child (widget_class, CcWorkflowDetails, replay_since_check);
  gtk_widget_class_bind_template_child (widget_class, CcWorkflowDetails, replay_calendar);
  gtk_widget_class_bind_template_child (widget_class, CcWorkflowDetails, replay_hour);
  gtk_widget_class_bind_template_child (widget_class, CcWorkflowDetails, replay_minute);
  gtk_widget_class_bind_template_child (widget_class, CcWorkflowDetails, status_value);
  gtk_widget_class_bind_template_child (widget_class, CcWorkflowDetails, backlog_value);
  gtk_widget_class_bind_template_child (widget_class, CcWorkflowDetails, written_value);
  gtk_widget_class_bind_template_child (widget_class, CcWorkflowDetails, failed_value);
  gtk_widget_class_bind_template_child (widget_class, CcWorkflowDetails, rate_value);
  gtk_widget_class_bind_template_child (widget_class, CcWorkflowDetails, last_error_label);
  gtk_widget_class_bind_template_child (widget_class, CcWorkflowDetails, notice_box);
  gtk_widget_class_bind_template_child (widget_class, CcWorkflowDetails, notice_label);
  gtk_widget_class_bind_template_child (widget_class, CcWorkflowDetails, activity_label);
  gtk_widget_class_bind_template_child (widget_class, CcWorkflowDetails, day_button);
  gtk_widget_class_bind_template_child (widget_class, CcWorkflowDetails, graph);
  gtk_widget_class_bind_template_callback (widget_class, on_span_toggled);
  gtk_widget_class_bind_template_child (widget_class, CcWorkflowDetails, history_list);
  gtk_widget_class_bind_template_child (widget_class, CcWorkflowDetails, errors_page);
  gtk_widget_class_bind_template_child (widget_class, CcWorkflowDetails, error_log);

  gtk_widget_class_install_action (widget_class, "details.replay", NULL, replay_action);
  gtk_widget_class_install_action (widget_class, "details.check-setup", NULL, check_setup_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_w, GDK_CONTROL_MASK, "window.close", NULL);
}

/* GTK 4.8's calendar leaves its four arrow buttons unnamed; they come
 * in this order in its header. */
static void
name_calendar_buttons (GtkWidget *widget,
                       guint     *n)
{
  static const char * const names[] = {
    N_("Previous Month"), N_("Next Month"), N_("Previous Year"), N_("Next Year"),
  };

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      if (GTK_IS_BUTTON (child) && *n < G_N_ELEMENTS (names))
        gtk_accessible_update_property (GTK_ACCESSIBLE (child),
                                        GTK_ACCESSIBLE_PROPERTY_LABEL, _(names[(*n)++]),
                                        -1);
      name_calendar_buttons (child, n);
    }
}

static void
cc_workflow_details_init (CcWorkflowDetails *self)
{
  guint n = 0;

  gtk_widget_init_template (GTK_WIDGET (self));
  cc_tooltips_quiet_while_open (self->replay_button);
  name_calendar_buttons (GTK_WIDGET (self->replay_calendar), &n);
}
