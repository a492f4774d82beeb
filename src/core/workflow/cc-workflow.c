/* cc-workflow.c — a workflow's state machine and its view of the workers.
 *
 * stopped → starting → running; running → stopped (Stop);
 * starting/running → failed; failed → starting (Start again).
 *
 * A run (cc_workflow_kind_run()) has a supervisor thread of its own,
 * which starts the run's worker threads (cc_run_workers()) and waits for
 * them; its result comes back to the main thread through a GTask. The
 * workers reach this object only through the CcRun: Running is posted to
 * the main context, the counters are atomics sampled from here. This
 * object only ever changes on the main thread.
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "cc-error.h"
#include "cc-http.h"
#include "cc-workflow-private.h"

enum {
  PROP_0,
  PROP_ID,
  PROP_TITLE,
  PROP_SUBTITLE,
  PROP_STATUS,
  PROP_BACKLOG,
  PROP_PENDING_CHANGES,
  PROP_LAST_ERROR,
  PROP_NOTICE,
  PROP_WRITTEN,
  PROP_FAILED,
  PROP_ERROR_COUNT,
  PROP_RECORDS_PER_SECOND,
  PROP_LAST_ACTIVITY,
  PROP_WAITING,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  FAILED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (CcWorkflow, cc_workflow, G_TYPE_OBJECT)

GType
cc_workflow_status_get_type (void)
{
  static gsize type = 0;

  if (g_once_init_enter (&type))
    {
      static const GEnumValue values[] = {
        { CC_WORKFLOW_STOPPED, "CC_WORKFLOW_STOPPED", "stopped" },
        { CC_WORKFLOW_STARTING, "CC_WORKFLOW_STARTING", "starting" },
        { CC_WORKFLOW_RUNNING, "CC_WORKFLOW_RUNNING", "running" },
        { CC_WORKFLOW_FAILED, "CC_WORKFLOW_FAILED", "failed" },
        { 0, NULL, NULL },
      };
      g_once_init_leave (&type, g_enum_register_static ("CcWorkflowStatus", values));
    }
  return type;
}

const char *
cc_workflow_status_to_string (CcWorkflowStatus status)
{
  switch (status)
    {
    case CC_WORKFLOW_STOPPED: return "stopped";
    case CC_WORKFLOW_STARTING: return "starting";
    case CC_WORKFLOW_RUNNING: return "running";
    case CC_WORKFLOW_FAILED: return "failed";
    default: g_return_val_if_reached ("stopped");
    }
}

const char *
cc_workflow_status_to_label (CcWorkflowStatus status)
{
  switch (status)
    {
    /* Translators: a workflow's status */
    case CC_WORKFLOW_STOPPED: return C_("status", "Stopped");
    /* Translators: a workflow's status */
    case CC_WORKFLOW_STARTING: return C_("status", "Starting");
    /* Translators: a workflow's status */
    case CC_WORKFLOW_RUNNING: return C_("status", "Running");
    /* Translators: a workflow's status */
    case CC_WORKFLOW_FAILED: return C_("status", "Failed");
    default: g_return_val_if_reached ("");
    }
}

static void
set_status (CcWorkflow       *self,
            CcWorkflowStatus  status)
{
  if (self->status == status)
    return;
  self->status = status;
  self->last_activity = g_get_real_time ();
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATUS]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LAST_ACTIVITY]);
}

/* Sets the text property @prop, kept in *@field ("" for NULL), and
 * notifies it when it changes. */
static void
set_text (CcWorkflow *self,
          char      **field,
          const char *text,
          guint       prop)
{
  if (g_strcmp0 (*field, text ? text : "") == 0)
    return;
  g_free (*field);
  *field = g_strdup (text ? text : "");
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop]);
}

static void
set_last_error (CcWorkflow *self,
                const char *message)
{
  set_text (self, &self->last_error, message, PROP_LAST_ERROR);
}

static void
set_notice (CcWorkflow *self,
            const char *notice)
{
  set_text (self, &self->notice, notice, PROP_NOTICE);
}

void
cc_workflow_set_pending (CcWorkflow *self,
                         gboolean    pending)
{
  if (self->pending_changes == pending)
    return;
  self->pending_changes = pending;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PENDING_CHANGES]);
}

static void
set_waiting (CcWorkflow *self,
             const char *why)
{
  set_text (self, &self->waiting, why, PROP_WAITING);
}

/* Why the run is held back, in words; NULL when it is not. Only the daily
 * allowance holds a run back for long: the per-second cap is a fraction
 * of a second at a time. */
static char *
describe_wait (CcWorkflow *self)
{
  CcRateLimiterState state;
  g_autoptr(GDateTime) renews = NULL;
  g_autoptr(GDateTime) local = NULL;
  g_autofree char *budget = NULL;
  g_autofree char *at = NULL;

  if (self->run == NULL || !cc_run_is_waiting_for_budget (self->run))
    return NULL;
  cc_rate_limiter_get_state (cc_run_get_campaign_limiter (self->run), &state);
  budget = g_strdup_printf ("%'" G_GUINT64_FORMAT, state.daily_budget);
  renews = g_date_time_new_from_unix_utc (state.renews_at / G_USEC_PER_SEC);
  local = g_date_time_to_local (renews);
  at = g_date_time_format (local, "%H:%M");
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                       "Today’s allowance of %s Campaign API call is used up. "
                                       "The workflow waits until it renews at %s (midnight "
                                       "UTC); what it reads meanwhile waits in the backlog.",
                                       "Today’s allowance of %s Campaign API calls is used up. "
                                       "The workflow waits until it renews at %s (midnight "
                                       "UTC); what it reads meanwhile waits in the backlog.",
                                       (gulong) state.daily_budget),
                          budget, at);
}

static void
set_rate (CcWorkflow *self,
          double      rate)
{
  if (self->records_per_second == rate)
    return;
  self->records_per_second = rate;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RECORDS_PER_SECOND]);
}

static void
set_error_count (CcWorkflow *self,
                 guint64     n)
{
  if (self->error_count == n)
    return;
  self->error_count = n;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ERROR_COUNT]);
}

void
cc_workflow_count_error_log (CcWorkflow *self)
{
  g_autoptr(GError) error = NULL;
  guint64 n = cc_store_count_errors (self->host.store, cc_workflow_get_id (self), &error);

  self->errors_counted_at = g_get_monotonic_time ();
  self->error_count_stale = FALSE;
  if (error != NULL)
    g_debug ("error log of %s: %s", cc_workflow_get_id (self), error->message);
  else
    set_error_count (self, n);
}

/* While records are written or refused many times a second, the error
 * log (which a write may shrink and a refusal grows) is counted at most
 * once a second: a log of a million entries takes a while to count. */
static void
error_log_changed (CcWorkflow *self)
{
  if (g_get_monotonic_time () - self->errors_counted_at >= G_USEC_PER_SEC)
    cc_workflow_count_error_log (self);
  else
    self->error_count_stale = TRUE;
}

/* Reads the backlog and counters: from the database (exact, survives
 * restarts) plus what the running workers have not yet flushed; and the
 * run's notices. */
void
cc_workflow_sample (CcWorkflow *self)
{
  CcStore *store = self->host.store;
  g_autoptr(GError) error = NULL;
  g_autofree char *why = NULL;
  guint64 backlog, written = self->written, failed = self->failed;

  if (self->run != NULL)
    {
      g_autofree char *notice = cc_run_dup_notices (self->run);

      set_notice (self, notice);
    }
  backlog = cc_store_count_backlog (store, cc_workflow_get_id (self), &error);
  if (error != NULL)
    {
      g_debug ("backlog of %s: %s", cc_workflow_get_id (self), error->message);
      return;
    }

  if (self->run != NULL)
    {
      written = self->written_base + cc_run_get_written (self->run);
      failed = self->failed_base + cc_run_get_failed (self->run);
    }

  /* A write may supersede an entry of the error log, a refusal adds one. */
  if (written != self->written || failed != self->failed || self->error_count_stale)
    error_log_changed (self);
  if (backlog != self->backlog)
    {
      self->backlog = backlog;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BACKLOG]);
    }
  if (written != self->written)
    {
      self->written = written;
      self->last_activity = g_get_real_time ();
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_WRITTEN]);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LAST_ACTIVITY]);
    }
  if (failed != self->failed)
    {
      self->failed = failed;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FAILED]);
    }
  why = describe_wait (self);
  set_waiting (self, why);
}

/* "2 minutes", "90 seconds" */
static char *
format_duration (guint seconds)
{
  if (seconds % 60 == 0)
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u minute", "%u minutes",
                                         seconds / 60), seconds / 60);
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u second", "%u seconds", seconds),
                          seconds);
}

/* Starting retries what fails for now (a service down, throttling) for
 * as long as it takes; past the deadline, LastError says why the
 * workflow is not running yet, so that it never sits in Starting
 * without a word. */
static void
say_why_still_starting (CcWorkflow *self,
                        gint64      now)
{
  g_autofree char *problem = NULL;
  g_autofree char *after = NULL;
  g_autofree char *message = NULL;

  if (self->status != CC_WORKFLOW_STARTING
      || now - self->starting_since < (gint64) self->starting_deadline_s * G_USEC_PER_SEC)
    return;
  problem = cc_run_dup_starting_problem (self->run);
  after = format_duration (self->starting_deadline_s);
  if (problem != NULL)
    /* Translators: "Not running after 2 minutes: <what failed last>. Campaign…" */
    message = g_strdup_printf (_("Not running after %s: %s. Campaign Connector keeps trying."),
                               after, problem);
  else
    message = g_strdup_printf (_("Not running after %s: signing in to both services and "
                                 "checking the configuration against them takes longer than "
                                 "it should. Campaign Connector keeps trying."),
                               after);
  set_last_error (self, message);
}

static gboolean
on_sample (gpointer user_data)
{
  CcWorkflow *self = user_data;
  guint oldest = (self->rate_index + 1) % RATE_WINDOW;
  gint64 now = g_get_monotonic_time ();

  cc_workflow_sample (self);
  say_why_still_starting (self, now);

  self->rate_samples[self->rate_index] = self->written;
  self->rate_times[self->rate_index] = now;
  if (self->rate_times[oldest] != 0 && now > self->rate_times[oldest])
    set_rate (self, (double) (self->written - self->rate_samples[oldest]) * G_USEC_PER_SEC
                    / (double) (now - self->rate_times[oldest]));
  self->rate_index = oldest;

  return G_SOURCE_CONTINUE;
}

static void
stop_sampling (CcWorkflow *self)
{
  g_clear_handle_id (&self->sample_id, g_source_remove);
  memset (self->rate_samples, 0, sizeof self->rate_samples);
  memset (self->rate_times, 0, sizeof self->rate_times);
  set_rate (self, 0.0);
}

/* Durably, at once: an engine that starts after a crash resumes exactly
 * the workflows wanted running. */
static void
set_wanted (CcWorkflow *self,
            gboolean    running)
{
  g_autoptr(GError) error = NULL;

  if (!cc_store_set_wanted (self->host.store, cc_workflow_get_id (self), running, &error))
    g_debug ("%s: %s", cc_workflow_get_id (self), error->message);
}

static void
on_running (CcRun    *run,
            gpointer  user_data)
{
  CcWorkflow *self = user_data;

  /* Only the current run's notice counts: one from a run that has ended
   * (and whose successor is Starting) must not make that one Running. */
  if (run == self->run && self->status == CC_WORKFLOW_STARTING && !self->stop_requested)
    {
      /* What kept Starting waiting is over. */
      set_last_error (self, NULL);
      set_status (self, CC_WORKFLOW_RUNNING);
    }
}

/* One run's supervisor. It has a thread of its own for as long as the run
 * lasts (hours), rather than a slot of GLib's shared GTask pool, where it
 * would hold up the short jobs that queue there (connection tests, the
 * window's schema loader). The GTask only carries its result back to the
 * main thread. */
typedef struct
{
  GTask                *task;
  const CcWorkflowKind *kind;
  CcRun                *run;   /* the task's data */
} Supervisor;

static gpointer
supervise (gpointer data)
{
  Supervisor *supervisor = data;
  g_autoptr(GError) error = NULL;
  /* Starting signs in and checks with sessions of the supervisor's own:
   * they are gone before the run's result goes back. */
  GMainContext *context = cc_http_thread_context_push ();
  gboolean ok = cc_workflow_kind_run (supervisor->kind, supervisor->run, &error);

  cc_http_thread_context_pop (context);
  if (ok)
    g_task_return_boolean (supervisor->task, TRUE);
  else
    {
      cc_run_fail (supervisor->run, error);
      g_task_return_error (supervisor->task, g_steal_pointer (&error));
    }
  g_object_unref (supervisor->task);
  g_free (supervisor);
  return NULL;
}

static void
on_run_done (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  CcWorkflow *self = CC_WORKFLOW (object);
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) run_error = NULL;
  CcStore *store = self->host.store;

  /* The supervisor has returned its result and is only letting go of
   * the task: once joined, the last reference to the task (and the one it
   * holds to this workflow) is the main thread's. */
  g_thread_join (g_steal_pointer (&self->supervisor));
  g_task_propagate_boolean (G_TASK (result), &error);
  run_error = cc_run_dup_error (self->run);

  cc_workflow_sample (self);
  cc_workflow_count_error_log (self);
  stop_sampling (self);
  g_clear_pointer (&self->run, cc_run_unref);
  set_waiting (self, NULL);

  /* Counters were added to the database by the workers; read them back
   * so the totals stay exact across runs. */
  cc_store_get_counts (store, cc_workflow_get_id (self), &self->written, &self->failed, NULL);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_WRITTEN]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FAILED]);

  if (run_error != NULL && !self->stop_requested)
    {
      /* A failure needs a person: no engine starts it again by itself. */
      set_wanted (self, FALSE);
      set_last_error (self, run_error->message);
      cc_workflow_add_history (self, "fail", run_error->message);
      set_status (self, CC_WORKFLOW_FAILED);
      g_signal_emit (self, signals[FAILED], 0);
    }
  else
    {
      cc_workflow_add_history (self, "stop", NULL);
      set_status (self, CC_WORKFLOW_STOPPED);
    }
  self->stop_requested = FALSE;
  g_object_unref (self);
}

/* Starts a run; @how is the history entry's message. */
static gboolean
start (CcWorkflow  *self,
       const char  *how,
       GError     **error)
{
  g_autoptr(GError) local = NULL;
  g_autofree char *thread_name = NULL;
  CcRunSetup setup = { 0 };
  Supervisor *supervisor;
  JsonNode *edited;
  CcConfig *config;

  g_return_val_if_fail (CC_IS_WORKFLOW (self), FALSE);

  if (self->status == CC_WORKFLOW_STARTING || self->status == CC_WORKFLOW_RUNNING)
    {
      g_set_error (error, CC_ERROR, CC_ERROR_BUSY,
                   _("The workflow “%s” is already running"), cc_workflow_get_title (self));
      return FALSE;
    }

  /* Starting applies the edit: the run uses what the user saved last. */
  config = self->host.config;
  edited = cc_workflow_get_config_node (self);
  cc_config_set_workflow (config, cc_workflow_get_id (self), "applied", edited);
  if (!cc_config_save (config, &local))
    g_debug ("%s", local->message);
  cc_workflow_set_pending (self, FALSE);

  setup.workflow_id = cc_workflow_get_id (self);
  setup.config = edited;
  setup.state_path = self->host.state_path;
  self->host.fill_setup (self->host.host, &setup);

  self->run = cc_run_new (&setup, on_running, self, NULL);
  self->stop_requested = FALSE;
  cc_store_get_counts (self->host.store, cc_workflow_get_id (self),
                       &self->written_base, &self->failed_base, NULL);

  set_wanted (self, TRUE);
  set_last_error (self, NULL);
  set_notice (self, NULL);
  self->starting_since = g_get_monotonic_time ();
  set_status (self, CC_WORKFLOW_STARTING);
  cc_workflow_add_history (self, "start", how);

  supervisor = g_new0 (Supervisor, 1);
  supervisor->task = g_task_new (g_object_ref (self), cc_run_get_cancellable (self->run),
                                 on_run_done, NULL);
  supervisor->kind = self->kind;
  supervisor->run = self->run;
  g_task_set_source_tag (supervisor->task, cc_workflow_start);
  g_task_set_task_data (supervisor->task, cc_run_ref (self->run), (GDestroyNotify) cc_run_unref);
  thread_name = g_strdup_printf ("cc-%s-run", cc_workflow_get_id (self));
  self->supervisor = g_thread_new (thread_name, supervise, supervisor);

  self->sample_id = g_timeout_add (SAMPLE_INTERVAL_MS, on_sample, self);
  return TRUE;
}

gboolean
cc_workflow_start (CcWorkflow  *self,
                   GError     **error)
{
  g_return_val_if_fail (CC_IS_WORKFLOW (self), FALSE);

  return start (self, NULL, error);
}

gboolean
cc_workflow_resume (CcWorkflow  *self,
                    GError     **error)
{
  g_return_val_if_fail (CC_IS_WORKFLOW (self), FALSE);

  return start (self, "resumed", error);
}

void
cc_workflow_stop (CcWorkflow *self)
{
  g_return_if_fail (CC_IS_WORKFLOW (self));

  set_wanted (self, FALSE);
  cc_workflow_halt (self);
}

void
cc_workflow_halt (CcWorkflow *self)
{
  g_return_if_fail (CC_IS_WORKFLOW (self));

  if (self->run == NULL)
    {
      /* Failed → Stopped is what the user means by Stop on a failed row. */
      if (self->status == CC_WORKFLOW_FAILED)
        set_status (self, CC_WORKFLOW_STOPPED);
      return;
    }
  self->stop_requested = TRUE;
  cc_run_cancel (self->run);
}

void
cc_workflow_wait_stopped (CcWorkflow *self)
{
  while (self->run != NULL)
    g_main_context_iteration (NULL, TRUE);
}

const char *
cc_workflow_get_id (CcWorkflow *self)
{
  g_return_val_if_fail (CC_IS_WORKFLOW (self), NULL);
  return self->kind->id;
}

const char *
cc_workflow_get_title (CcWorkflow *self)
{
  g_return_val_if_fail (CC_IS_WORKFLOW (self), NULL);
  return g_dgettext (GETTEXT_PACKAGE, self->kind->title);
}

const CcWorkflowKind *
cc_workflow_get_kind (CcWorkflow *self)
{
  g_return_val_if_fail (CC_IS_WORKFLOW (self), NULL);
  return self->kind;
}

const char *
cc_workflow_get_subtitle (CcWorkflow *self)
{
  g_return_val_if_fail (CC_IS_WORKFLOW (self), NULL);
  return g_dgettext (GETTEXT_PACKAGE, self->kind->subtitle);
}

CcWorkflowStatus
cc_workflow_get_status (CcWorkflow *self)
{
  g_return_val_if_fail (CC_IS_WORKFLOW (self), CC_WORKFLOW_STOPPED);
  return self->status;
}

guint64
cc_workflow_get_backlog (CcWorkflow *self)
{
  g_return_val_if_fail (CC_IS_WORKFLOW (self), 0);
  return self->backlog;
}

gboolean
cc_workflow_get_pending_changes (CcWorkflow *self)
{
  g_return_val_if_fail (CC_IS_WORKFLOW (self), FALSE);
  return self->pending_changes;
}

const char *
cc_workflow_get_last_error (CcWorkflow *self)
{
  g_return_val_if_fail (CC_IS_WORKFLOW (self), NULL);
  return self->last_error;
}

const char *
cc_workflow_get_notice (CcWorkflow *self)
{
  g_return_val_if_fail (CC_IS_WORKFLOW (self), NULL);
  return self->notice;
}

guint64
cc_workflow_get_written (CcWorkflow *self)
{
  g_return_val_if_fail (CC_IS_WORKFLOW (self), 0);
  return self->written;
}

guint64
cc_workflow_get_failed (CcWorkflow *self)
{
  g_return_val_if_fail (CC_IS_WORKFLOW (self), 0);
  return self->failed;
}

guint64
cc_workflow_get_error_count (CcWorkflow *self)
{
  g_return_val_if_fail (CC_IS_WORKFLOW (self), 0);
  return self->error_count;
}

double
cc_workflow_get_records_per_second (CcWorkflow *self)
{
  g_return_val_if_fail (CC_IS_WORKFLOW (self), 0.0);
  return self->records_per_second;
}

const char *
cc_workflow_get_waiting (CcWorkflow *self)
{
  g_return_val_if_fail (CC_IS_WORKFLOW (self), NULL);
  return self->waiting;
}

gint64
cc_workflow_get_last_activity (CcWorkflow *self)
{
  g_return_val_if_fail (CC_IS_WORKFLOW (self), 0);
  return self->last_activity;
}

CcActivity *
cc_workflow_get_activity (CcWorkflow *self)
{
  g_return_val_if_fail (CC_IS_WORKFLOW (self), NULL);
  return self->activity;
}

/* The backlog and the count written are those last sampled (a few times
 * a second while running); a stopped workflow's stay as they are. */
static gboolean
on_activity_tick (gpointer user_data)
{
  CcWorkflow *self = user_data;

  cc_activity_add (self->activity, g_get_real_time (), self->backlog, self->written);
  return G_SOURCE_CONTINUE;
}

CcWorkflow *
cc_workflow_new (const CcWorkflowKind *kind,
                 const CcWorkflowHost *host)
{
  CcWorkflow *self = g_object_new (CC_TYPE_WORKFLOW, NULL);
  CcStore *store = host->store;

  self->host = *host;
  self->kind = kind;

  cc_store_get_counts (store, kind->id, &self->written, &self->failed, NULL);
  self->backlog = cc_store_count_backlog (store, kind->id, NULL);
  cc_workflow_count_error_log (self);

  /* Kept whether anyone looks or not: a graph opened later shows what
   * happened before. */
  on_activity_tick (self);
  self->activity_id = g_timeout_add_seconds (CC_ACTIVITY_FINE_SECONDS, on_activity_tick, self);
  return self;
}

static void
cc_workflow_dispose (GObject *object)
{
  CcWorkflow *self = CC_WORKFLOW (object);

  g_clear_handle_id (&self->sample_id, g_source_remove);
  g_clear_handle_id (&self->activity_id, g_source_remove);
  if (self->run != NULL)
    cc_run_cancel (self->run);

  G_OBJECT_CLASS (cc_workflow_parent_class)->dispose (object);
}

static void
cc_workflow_finalize (GObject *object)
{
  CcWorkflow *self = CC_WORKFLOW (object);

  g_clear_pointer (&self->last_error, g_free);
  g_clear_pointer (&self->notice, g_free);
  g_clear_pointer (&self->waiting, g_free);
  g_clear_pointer (&self->run, cc_run_unref);
  g_clear_object (&self->activity);
  g_clear_pointer (&self->unsaved_history, g_ptr_array_unref);

  G_OBJECT_CLASS (cc_workflow_parent_class)->finalize (object);
}

static void
cc_workflow_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  CcWorkflow *self = CC_WORKFLOW (object);

  switch (prop_id)
    {
    case PROP_ID: g_value_set_string (value, cc_workflow_get_id (self)); break;
    case PROP_TITLE: g_value_set_string (value, cc_workflow_get_title (self)); break;
    case PROP_SUBTITLE: g_value_set_string (value, cc_workflow_get_subtitle (self)); break;
    case PROP_STATUS: g_value_set_enum (value, self->status); break;
    case PROP_BACKLOG: g_value_set_uint64 (value, self->backlog); break;
    case PROP_PENDING_CHANGES: g_value_set_boolean (value, self->pending_changes); break;
    case PROP_LAST_ERROR: g_value_set_string (value, self->last_error); break;
    case PROP_NOTICE: g_value_set_string (value, self->notice); break;
    case PROP_WRITTEN: g_value_set_uint64 (value, self->written); break;
    case PROP_FAILED: g_value_set_uint64 (value, self->failed); break;
    case PROP_ERROR_COUNT: g_value_set_uint64 (value, self->error_count); break;
    case PROP_RECORDS_PER_SECOND: g_value_set_double (value, self->records_per_second); break;
    case PROP_LAST_ACTIVITY: g_value_set_int64 (value, self->last_activity); break;
    case PROP_WAITING: g_value_set_string (value, self->waiting); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cc_workflow_class_init (CcWorkflowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags flags = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->dispose = cc_workflow_dispose;
  object_class->finalize = cc_workflow_finalize;
  object_class->get_property = cc_workflow_get_property;

  properties[PROP_ID] = g_param_spec_string ("id", NULL, NULL, NULL, flags);
  properties[PROP_TITLE] = g_param_spec_string ("title", NULL, NULL, NULL, flags);
  properties[PROP_SUBTITLE] = g_param_spec_string ("subtitle", NULL, NULL, NULL, flags);
  properties[PROP_STATUS] = g_param_spec_enum ("status", NULL, NULL, CC_TYPE_WORKFLOW_STATUS,
                                               CC_WORKFLOW_STOPPED, flags);
  properties[PROP_BACKLOG] = g_param_spec_uint64 ("backlog", NULL, NULL, 0, G_MAXUINT64, 0, flags);
  properties[PROP_PENDING_CHANGES] = g_param_spec_boolean ("pending-changes", NULL, NULL,
                                                           FALSE, flags);
  properties[PROP_LAST_ERROR] = g_param_spec_string ("last-error", NULL, NULL, "", flags);
  properties[PROP_NOTICE] = g_param_spec_string ("notice", NULL, NULL, "", flags);
  properties[PROP_WRITTEN] = g_param_spec_uint64 ("written", NULL, NULL, 0, G_MAXUINT64, 0, flags);
  properties[PROP_FAILED] = g_param_spec_uint64 ("failed", NULL, NULL, 0, G_MAXUINT64, 0, flags);
  properties[PROP_ERROR_COUNT] = g_param_spec_uint64 ("error-count", NULL, NULL,
                                                      0, G_MAXUINT64, 0, flags);
  properties[PROP_RECORDS_PER_SECOND] = g_param_spec_double ("records-per-second", NULL, NULL,
                                                             0.0, G_MAXDOUBLE, 0.0, flags);
  properties[PROP_WAITING] = g_param_spec_string ("waiting", NULL, NULL, "", flags);
  properties[PROP_LAST_ACTIVITY] = g_param_spec_int64 ("last-activity", NULL, NULL,
                                                       0, G_MAXINT64, 0, flags);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[FAILED] = g_signal_new ("failed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

void
cc_workflow_set_starting_deadline (CcWorkflow *self,
                                   guint       seconds)
{
  g_return_if_fail (CC_IS_WORKFLOW (self));
  g_return_if_fail (seconds > 0);

  self->starting_deadline_s = seconds;
}

static void
cc_workflow_init (CcWorkflow *self)
{
  self->starting_deadline_s = STARTING_DEADLINE_S;
  self->unsaved_history = g_ptr_array_new_with_free_func ((GDestroyNotify) cc_history_entry_free);
  self->last_error = g_strdup ("");
  self->notice = g_strdup ("");
  self->waiting = g_strdup ("");
  self->activity = cc_activity_new ();
}
