/* cc-connections-dialog.h — the Dynamics 365 and Campaign connection
 * settings, their secrets (kept in the keyring only) and a test of each. */
#pragma once

#include <adwaita.h>

#include "cc-engine.h"

G_BEGIN_DECLS

#define CC_TYPE_CONNECTIONS_DIALOG (cc_connections_dialog_get_type ())
G_DECLARE_FINAL_TYPE (CcConnectionsDialog, cc_connections_dialog, CC, CONNECTIONS_DIALOG, AdwPreferencesWindow)

CcConnectionsDialog *cc_connections_dialog_new        (CcEngine            *engine);

/* The row editing @key ("url", "secret", …) of @system. */
GtkWidget           *cc_connections_dialog_get_row    (CcConnectionsDialog *self,
                                                       const char          *system,
                                                       const char          *key);
/* What the last save or test of @system said ("" before any). */
const char          *cc_connections_dialog_get_result (CcConnectionsDialog *self,
                                                       const char          *system);
/* Whether the last test of @system succeeded; FALSE before any. */
gboolean             cc_connections_dialog_get_test_ok (CcConnectionsDialog *self,
                                                        const char          *system);
/* Whether a test of @system is running. */
gboolean             cc_connections_dialog_is_testing (CcConnectionsDialog *self,
                                                       const char          *system);
/* The row that shows the result of Save or Test for @system. */
GtkWidget           *cc_connections_dialog_get_result_row (CcConnectionsDialog *self,
                                                           const char          *system);
/* Whether something was typed and not saved yet (closing then asks). */
gboolean             cc_connections_dialog_has_changes (CcConnectionsDialog *self);

G_END_DECLS
