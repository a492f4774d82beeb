/* cc-activity-graph.h — a workflow's backlog and records written per
 * second over the last hour or day, as the engine kept them: two lines
 * on a time axis of clock times, each with its own labelled scale. */
#pragma once

#include <gtk/gtk.h>

#include "cc-activity.h"

G_BEGIN_DECLS

#define CC_TYPE_ACTIVITY_GRAPH (cc_activity_graph_get_type ())
G_DECLARE_FINAL_TYPE (CcActivityGraph, cc_activity_graph, CC, ACTIVITY_GRAPH, GtkWidget)

CcActivityGraph *cc_activity_graph_new             (void);
/* Shows @activity (NULL: nothing), and follows it as it is sampled. */
void             cc_activity_graph_set_activity    (CcActivityGraph *self,
                                                    CcActivity      *activity);
void             cc_activity_graph_set_span        (CcActivityGraph *self,
                                                    CcActivitySpan   span);
CcActivitySpan   cc_activity_graph_get_span        (CcActivityGraph *self);
/* How many samples the graph shows now. */
guint            cc_activity_graph_get_n_samples   (CcActivityGraph *self);
/* The labels of the time axis as drawn now, left to right. */
GStrv            cc_activity_graph_dup_time_labels (CcActivityGraph *self);

G_END_DECLS
