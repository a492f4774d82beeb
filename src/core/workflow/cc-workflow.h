/* cc-workflow.h — one workflow: its status, backlog, counters, config.
 *
 * The window, the D-Bus service and the CLI are all views of these
 * objects. Every property changes on the main thread only and is notified
 * with g_object_notify_by_pspec (so a binding or PropertiesChanged follows
 * it); the backlog and counters are sampled from the workers a few times a
 * second while the workflow runs.
 */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "cc-activity.h"
#include "cc-config.h"
#include "cc-store.h"
#include "cc-workflow-kind.h"

G_BEGIN_DECLS

typedef enum
{
  CC_WORKFLOW_STOPPED,
  CC_WORKFLOW_STARTING,
  CC_WORKFLOW_RUNNING,
  CC_WORKFLOW_FAILED,
} CcWorkflowStatus;

/* "stopped", "starting", "running", "failed" (the D-Bus words). */
const char *cc_workflow_status_to_string (CcWorkflowStatus status);
/* The translated word shown to users. */
const char *cc_workflow_status_to_label  (CcWorkflowStatus status);

#define CC_TYPE_WORKFLOW_STATUS (cc_workflow_status_get_type ())
GType cc_workflow_status_get_type (void);

/* What a workflow needs of whoever owns it (the engine), so that this
 * layer never depends on the one above. Everything stays owned by the
 * host and must outlive the workflow. */
typedef struct
{
  CcConfig   *config;        /* the configuration file (edited/applied) */
  CcStore    *store;         /* the main thread's connection */
  const char *state_path;    /* the database, for the run's own connections */
  /* Fills the connection part of a run's setup (see CcRunSetup). */
  void      (*fill_setup)    (gpointer       host,
                              CcRunSetup *setup);
  gpointer    host;
} CcWorkflowHost;

#define CC_TYPE_WORKFLOW (cc_workflow_get_type ())
G_DECLARE_FINAL_TYPE (CcWorkflow, cc_workflow, CC, WORKFLOW, GObject)

/* Signals: ::failed, on the main thread, when a run ends Failed. */
CcWorkflow       *cc_workflow_new                 (const CcWorkflowKind *kind,
                                                   const CcWorkflowHost *host);

const char       *cc_workflow_get_id              (CcWorkflow  *self);
/* Translated. */
const char       *cc_workflow_get_title           (CcWorkflow  *self);
const char       *cc_workflow_get_subtitle        (CcWorkflow  *self);
const CcWorkflowKind *cc_workflow_get_kind        (CcWorkflow  *self);
CcWorkflowStatus  cc_workflow_get_status          (CcWorkflow  *self);
guint64           cc_workflow_get_backlog         (CcWorkflow  *self);
gboolean          cc_workflow_get_pending_changes (CcWorkflow  *self);
/* Why the workflow failed; or, while it is Starting for longer than its
 * deadline (2 minutes), why it is not running yet. Empty when there is
 * none. */
const char       *cc_workflow_get_last_error      (CcWorkflow  *self);
/* How long Starting may take before LastError says why it is not running
 * yet (tests shorten it). */
void              cc_workflow_set_starting_deadline (CcWorkflow *self,
                                                     guint       seconds);
/* What the user should know about the last run that is no failure (e.g.
 * a slower way of reading in use), one notice per line; kept until the
 * next start. Empty when there is none. */
const char       *cc_workflow_get_notice          (CcWorkflow  *self);
guint64           cc_workflow_get_written         (CcWorkflow  *self);
guint64           cc_workflow_get_failed          (CcWorkflow  *self);
/* The entries in the error log: records refused for good that wait to be
 * retried (a later write of the record removes them). :error-count
 * follows it, counted at most once a second while records move. */
guint64           cc_workflow_get_error_count     (CcWorkflow  *self);
double            cc_workflow_get_records_per_second (CcWorkflow *self);
/* Why a Running workflow moves nothing for now, in words a user can act
 * on (translated): Campaign's daily API allowance is used up until
 * midnight UTC. Empty when it is not held back. */
const char       *cc_workflow_get_waiting         (CcWorkflow  *self);
/* Unix time (µs) of the last record written or status change; 0 = never. */
gint64            cc_workflow_get_last_activity   (CcWorkflow  *self);
/* The backlog and records per second of the last hour and day, sampled
 * every CC_ACTIVITY_FINE_SECONDS since the workflow was made, running or
 * not. */
CcActivity       *cc_workflow_get_activity        (CcWorkflow  *self);

/* Stopped/Failed → Starting → Running. Refused (CC_ERROR_BUSY) when
 * already starting or running. Applies the edited configuration, and
 * records in the state database that the user wants it running: every
 * engine that starts later resumes it, until it is stopped or fails. */
gboolean          cc_workflow_start               (CcWorkflow  *self,
                                                   GError     **error);
/* cc_workflow_start() for an engine that starts again a workflow the user
 * left running; the run history says so. */
gboolean          cc_workflow_resume              (CcWorkflow  *self,
                                                   GError     **error);
/* Starting/Running → Stopped once the workers reach a safe point
 * (asynchronous: watch :status), and no engine resumes it any more.
 * Stopping a stopped workflow does nothing; a failed one becomes Stopped. */
void              cc_workflow_stop                (CcWorkflow  *self);
/* Stops the run as cc_workflow_stop() does, but the user still wants it
 * running: for an engine that shuts down, so that the next one resumes it. */
void              cc_workflow_halt                (CcWorkflow  *self);
/* Blocks (iterating the main context) until the workflow is stopped or
 * failed; for shutdown. */
void              cc_workflow_wait_stopped        (CcWorkflow  *self);

/* The edited configuration as JSON text. */
char             *cc_workflow_get_config          (CcWorkflow  *self);
JsonNode         *cc_workflow_get_config_node     (CcWorkflow  *self);
/* The configuration the running workers use (the edited one when stopped). */
JsonNode         *cc_workflow_get_applied_config  (CcWorkflow  *self);
/* Validates and stores the edited configuration. While the workflow runs,
 * it stays pending until stop + start. */
gboolean          cc_workflow_set_config          (CcWorkflow  *self,
                                                   const char  *json,
                                                   GError     **error);
gboolean          cc_workflow_set_config_node     (CcWorkflow  *self,
                                                   JsonNode    *config,
                                                   GError     **error);

/* @since: "all" or an ISO-8601 time. The data is queued again by the
 * running workers, or at the next start. */
gboolean          cc_workflow_replay              (CcWorkflow  *self,
                                                   const char  *since,
                                                   GError     **error);
/* --- the error log (cc-workflow-errors.c); a NULL filter matches every
 * entry ------------------------------------------------------------------ */

guint64           cc_workflow_count_errors        (CcWorkflow          *self,
                                                   const CcErrorFilter *filter,
                                                   GError             **error);
/* CcErrorEntry*, newest first; @limit 0 = all. */
GPtrArray        *cc_workflow_list_errors         (CcWorkflow          *self,
                                                   guint                offset,
                                                   guint                limit,
                                                   GError             **error);
GPtrArray        *cc_workflow_list_errors_matching (CcWorkflow          *self,
                                                    const CcErrorFilter *filter,
                                                    guint                offset,
                                                    guint                limit,
                                                    GError             **error);
/* CcErrorGroup*: one per reason, the largest first; @limit 0 = all. */
GPtrArray        *cc_workflow_list_error_groups   (CcWorkflow          *self,
                                                   const CcErrorFilter *filter,
                                                   guint                limit,
                                                   GError             **error);
/* Moves error-log entries back to the queue (@id 0 = all); returns how
 * many, or -1. */
gint64            cc_workflow_retry_errors        (CcWorkflow          *self,
                                                   gint64               id,
                                                   GError             **error);
gint64            cc_workflow_retry_errors_matching (CcWorkflow          *self,
                                                     const CcErrorFilter *filter,
                                                     GError             **error);
/* Writes the entries @filter matches to @stream as CSV (cc-error-csv.h),
 * newest first, in a thread with a database connection of its own, and
 * closes @stream; finishes with how many entries it wrote, or -1. */
void              cc_workflow_export_errors_async  (CcWorkflow          *self,
                                                    const CcErrorFilter *filter,
                                                    GOutputStream       *stream,
                                                    GCancellable        *cancellable,
                                                    GAsyncReadyCallback  callback,
                                                    gpointer             user_data);
gint64            cc_workflow_export_errors_finish (CcWorkflow          *self,
                                                    GAsyncResult        *result,
                                                    GError             **error);

/* CcHistoryEntry*, newest first. */
GPtrArray        *cc_workflow_list_history        (CcWorkflow  *self,
                                                   guint        limit,
                                                   GError     **error);

G_END_DECLS
