/* cc-questions.h — the questions the window asks before it does
 * something that cannot be taken back. Each returns the dialog, shown,
 * with its responses named; the caller connects to ::response. */
#pragma once

#include <adwaita.h>

#include "cc-workflow.h"

G_BEGIN_DECLS

/* Stopping @workflow while edits wait for its next start: what is
 * pending and that it applies at the next start. Responses "cancel" and
 * "stop". */
AdwMessageDialog *cc_questions_stop_pending (GtkWindow  *parent,
                                             CcWorkflow *workflow);

/* Closing an editor of @what (a workflow's title, "Connections") whose
 * changes were not saved. Responses "keep" and "discard". */
AdwMessageDialog *cc_questions_discard      (GtkWindow  *parent,
                                             const char *what);

/* Closing the main window while @n_running workflows run: keep syncing
 * in the background (and how to get the window back) or stop them, with
 * a "remember" check. Responses "cancel", "stop" and "background". */
AdwMessageDialog *cc_questions_close_running (GtkWindow  *parent,
                                              guint       n_running);
/* Whether the user checked "remember my choice" in that question. */
gboolean          cc_questions_get_remember  (AdwMessageDialog *question);

/* The settings of @workflow whose edited value differs from the one it
 * runs with, by the names the editors give them, separated by commas;
 * NULL when none can be told apart. */
char             *cc_questions_describe_pending (CcWorkflow *workflow);

/* A GSourceFunc that closes the GtkWindow @window: for a window to close
 * once the question asked over it has gone. */
gboolean          cc_close_window_idle      (gpointer    window);

G_END_DECLS
