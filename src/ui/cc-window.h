/* cc-window.h — the main window: every workflow, its status and backlog. */
#pragma once

#include <adwaita.h>

#include "cc-application.h"

G_BEGIN_DECLS

#define CC_TYPE_WINDOW (cc_window_get_type ())
G_DECLARE_FINAL_TYPE (CcWindow, cc_window, CC, WINDOW, AdwApplicationWindow)

CcWindow *cc_window_new (CcApplication *application);

G_END_DECLS
