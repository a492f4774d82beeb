/* cc-window.h — the main window: every workflow, its status and backlog. */
#pragma once

#include <adwaita.h>

#include "cc-application.h"
#include "cc-engine.h"

G_BEGIN_DECLS

#define CC_TYPE_WINDOW (cc_window_get_type ())
G_DECLARE_FINAL_TYPE (CcWindow, cc_window, CC, WINDOW, AdwApplicationWindow)

/* Shows the engine of @application (cc_application_get_engine). */
CcWindow  *cc_window_new                (CcApplication  *application);
/* Shows @engine; for an application that keeps its engine elsewhere. */
CcWindow  *cc_window_new_for_engine     (GtkApplication *application,
                                         CcEngine       *engine);

CcEngine  *cc_window_get_engine         (CcWindow       *self);
void       cc_window_add_toast          (CcWindow       *self,
                                         const char     *message);

/* Open (or raise) the window's dialogs; they are also reachable as the
 * actions win.edit, win.details, win.errors (with the workflow id) and
 * win.connections.
 * The returned window is owned by GTK. */
GtkWindow *cc_window_open_editor        (CcWindow       *self,
                                         const char     *workflow_id);
GtkWindow *cc_window_open_details       (CcWindow       *self,
                                         const char     *workflow_id);
/* The details of the workflow, on its error log. */
GtkWindow *cc_window_open_error_log     (CcWindow       *self,
                                         const char     *workflow_id);
GtkWindow *cc_window_open_connections   (CcWindow       *self);

G_END_DECLS
