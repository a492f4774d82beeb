/* cc-workflow-private.h — what the files of CcWorkflow share: the
 * instance, and the steps that the configuration's file takes too.
 *
 * cc-workflow.c holds the state machine, the run and the properties,
 * cc-workflow-config.c the configuration, replay and the run history,
 * cc-workflow-errors.c the error log.
 */
#pragma once

#include "cc-workflow.h"

G_BEGIN_DECLS

/* How often the backlog and counters are sampled while running. */
#define SAMPLE_INTERVAL_MS 250
/* Records/s is averaged over this many samples. */
#define RATE_WINDOW 8
/* How long Starting may take before the workflow says why it is not
 * running yet. */
#define STARTING_DEADLINE_S 120

struct _CcWorkflow
{
  GObject               parent_instance;

  CcWorkflowHost        host;        /* unowned: the host owns us */
  const CcWorkflowKind *kind;

  CcWorkflowStatus      status;
  guint64               backlog;
  gboolean              pending_changes;
  char                 *last_error;
  char                 *notice;
  char                 *waiting;     /* why the run is held back, or "" */
  guint64               written;     /* totals, from the database */
  guint64               failed;
  guint64               written_base; /* totals when this run started */
  guint64               failed_base;
  guint64               error_count; /* entries in the error log */
  gint64                errors_counted_at; /* monotonic µs */
  gboolean              error_count_stale;
  double                records_per_second;
  gint64                last_activity;
  CcActivity           *activity;    /* sampled from construction on */
  guint                 activity_id;

  CcRun                *run;
  GThread              *supervisor;  /* the run's, until its result is in */
  guint                 sample_id;
  guint64               rate_samples[RATE_WINDOW];
  gint64                rate_times[RATE_WINDOW];
  guint                 rate_index;
  gboolean              stop_requested;
  gint64                starting_since;      /* monotonic µs */
  guint                 starting_deadline_s;
  GPtrArray            *unsaved_history;     /* CcHistoryEntry*, oldest first: not
                                              * saved yet (the disk was full) */
};

/* Reads the backlog and counters now (cc-workflow.c). */
void cc_workflow_sample      (CcWorkflow *self);
/* Counts the error log now (cc-workflow.c): it changed. */
void cc_workflow_count_error_log (CcWorkflow *self);
/* Adds an entry to the run history, with this run's counters. One the
 * database refuses (a full disk) is kept, shown, and saved with its time
 * at the next entry or listing that finds the database writable. */
void cc_workflow_add_history (CcWorkflow *self,
                              const char *kind,
                              const char *message);
void cc_workflow_set_pending (CcWorkflow *self,
                              gboolean    pending);

G_END_DECLS
