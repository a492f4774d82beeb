/* cc-application.h — the GtkApplication: one instance per session bus. */
#pragma once

#include <adwaita.h>

#include "cc-engine.h"

G_BEGIN_DECLS

#define CC_TYPE_APPLICATION (cc_application_get_type ())
G_DECLARE_FINAL_TYPE (CcApplication, cc_application, CC, APPLICATION, AdwApplication)

CcApplication *cc_application_new        (void);
/* The engine this window shows; NULL before startup. */
CcEngine      *cc_application_get_engine (CcApplication *self);

G_END_DECLS
