/* cc-activity-graph.h — a workflow's backlog and records per second over
 * the last minutes, drawn as two lines. */
#pragma once

#include <gtk/gtk.h>

#include "cc-workflow.h"

G_BEGIN_DECLS

#define CC_TYPE_ACTIVITY_GRAPH (cc_activity_graph_get_type ())
G_DECLARE_FINAL_TYPE (CcActivityGraph, cc_activity_graph, CC, ACTIVITY_GRAPH, GtkWidget)

/* How far back the graph looks. */
#define CC_ACTIVITY_GRAPH_SPAN_SECONDS (10 * 60)

CcActivityGraph *cc_activity_graph_new           (void);
/* Samples @workflow once a second from now on (NULL stops). */
void             cc_activity_graph_set_workflow  (CcActivityGraph *self,
                                                  CcWorkflow      *workflow);
void             cc_activity_graph_add_sample    (CcActivityGraph *self,
                                                  gint64           time_us,
                                                  guint64          backlog,
                                                  double           records_per_second);
guint            cc_activity_graph_get_n_samples (CcActivityGraph *self);

G_END_DECLS
