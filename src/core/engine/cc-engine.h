/* cc-engine.h — the engine: the three workflows, the connections, the
 * configuration file and the state database. No GTK.
 *
 * One CcEngine lives on the main thread of the process that runs the sync
 * (the window's or the headless one). Everything the window can do goes
 * through here, and the D-Bus service calls the very same functions.
 */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "cc-api-allowance.h"
#include "cc-check-report.h"
#include "cc-config.h"
#include "cc-setup-prepare.h"
#include "cc-store.h"
#include "cc-workflow.h"

G_BEGIN_DECLS

#define CC_TYPE_ENGINE (cc_engine_get_type ())
G_DECLARE_FINAL_TYPE (CcEngine, cc_engine, CC, ENGINE, GObject)

/* The default database: $XDG_DATA_HOME/campaign-connector/state.db. */
char         *cc_engine_default_state_path   (void);

/* NULL paths = the defaults. Loads the configuration (refusing a broken
 * one with its path and error) and opens the database. */
CcEngine     *cc_engine_new                  (const char   *config_path,
                                              const char   *state_path,
                                              GError      **error);

/* Whether every workflow configuration @config holds (applied and
 * edited) is one its kind accepts, and names a workflow there is: else
 * CC_ERROR_INVALID_CONFIG with one line naming the file and the
 * member's path. cc_engine_new() refuses a configuration file that fails
 * this. */
gboolean      cc_engine_check_config         (CcConfig     *config,
                                              GError      **error);

const char   *cc_engine_get_state_path       (CcEngine     *self);
CcConfig     *cc_engine_get_config           (CcEngine     *self);
/* The main thread's connection to the database. */
CcStore      *cc_engine_get_store            (CcEngine     *self);
/* The Campaign connection's API allowance (max-calls-per-second,
 * daily-call-budget): the calls of every workflow, of the connection test
 * and of the window count against its limiter. */
CcApiAllowance *cc_engine_get_campaign_allowance (CcEngine   *self);

/* A GListModel of CcWorkflow, in the order ingress, egress, optinout. */
GListModel   *cc_engine_get_workflows        (CcEngine     *self);
CcWorkflow   *cc_engine_find_workflow        (CcEngine     *self,
                                              const char   *id);

/* Connections. @settings is an a{sv} of strings (keys as in
 * cc_config_connection_keys); a "secret" entry goes to the keyring only.
 * An empty value removes a setting (or the secret). Saved at once.
 * In sandbox mode the change (secret included) is kept in memory only,
 * for as long as the process runs: nothing goes to the configuration file
 * or the keyring. Workflows pick the change up at their next start. */
gboolean      cc_engine_set_connection       (CcEngine     *self,
                                              const char   *system,
                                              GVariant     *settings,
                                              GError      **error);
/* a{sv}: the stored settings (in sandbox mode, the in-memory ones), plus
 * "secret-stored" (b). Never a secret. */
GVariant     *cc_engine_get_connection       (CcEngine     *self,
                                              const char   *system,
                                              GError      **error);
/* The Dynamics 365 connection's application users besides its own
 * client id (cc-engine-users.c). Dataverse's service-protection limits
 * are per user: egress and opt-in/opt-out writes are spread over all of
 * them, each with its own token and back-off. Adding one stores its
 * secret in the keyring and its client id in the configuration (in
 * sandbox mode both in memory); the list never holds a secret; removing
 * one clears both. Workflows pick a change up at their next start. */
gboolean      cc_engine_add_dynamics_user    (CcEngine     *self,
                                              const char   *client_id,
                                              const char   *secret,
                                              GError      **error);
gboolean      cc_engine_remove_dynamics_user (CcEngine     *self,
                                              const char   *client_id,
                                              GError      **error);
GStrv         cc_engine_list_dynamics_users  (CcEngine     *self);

/* Whether both connections are set up (settings and a secret). */
gboolean      cc_engine_is_configured        (CcEngine     *self);

/* Authenticates against @system and reads something small from it, in a
 * worker thread; the result says what the server answered, in words. */
void          cc_engine_test_connection_async  (CcEngine            *self,
                                                const char          *system,
                                                GCancellable        *cancellable,
                                                GAsyncReadyCallback  callback,
                                                gpointer             user_data);
gboolean      cc_engine_test_connection_finish (CcEngine            *self,
                                                GAsyncResult        *result,
                                                char               **message,
                                                GError             **error);

/* The setup check (cc-engine-setup.c): every prerequisite of
 * @workflow_id (NULL: of every workflow) in its edited configuration,
 * checked against both services in a worker thread. CC_ERROR_NOT_FOUND
 * for an unknown workflow; the outcome of each check is in the report. */
void           cc_engine_check_setup_async      (CcEngine            *self,
                                                 const char          *workflow_id,
                                                 GCancellable        *cancellable,
                                                 GAsyncReadyCallback  callback,
                                                 gpointer             user_data);
CcCheckReport *cc_engine_check_setup_finish     (CcEngine            *self,
                                                 GAsyncResult        *result,
                                                 GError             **error);

/* "Prepare Dynamics 365" with the customization prefix @prefix (NULL or
 * "": "new"): the plan, read from the environment and the edited
 * configurations; with @apply, the plan applied too, each step marked
 * done or failed (at the first failure the rest stay planned), and, once
 * every step in Dynamics 365 is done, the egress configuration naming
 * the tables with @prefix. An error only when no plan could be made. */
void           cc_engine_prepare_dynamics_async  (CcEngine            *self,
                                                  const char          *prefix,
                                                  gboolean             apply,
                                                  GCancellable        *cancellable,
                                                  GAsyncReadyCallback  callback,
                                                  gpointer             user_data);
CcPreparePlan *cc_engine_prepare_dynamics_finish (CcEngine            *self,
                                                  GAsyncResult        *result,
                                                  GError             **error);

/* Points both connections at emulators (URLs of a running sandbox) with
 * their fixed credentials, for this process only: from now on the
 * connections live in memory (cc_engine_set_connection changes them
 * there), and nothing is written to the configuration file or the
 * keyring. Calling it again starts from the emulators' settings again. */
void          cc_engine_use_sandbox          (CcEngine     *self,
                                              const char   *dataverse_url,
                                              const char   *campaign_url);
gboolean      cc_engine_get_uses_sandbox     (CcEngine     *self);

/* Starts the workflows the user wants running: every one started (by the
 * window, D-Bus or the command line) and neither stopped since nor
 * failed, whether the last engine shut down cleanly or was killed. */
void          cc_engine_resume               (CcEngine     *self);
/* Stops every workflow and waits for the workers, without changing which
 * ones the user wants running: the next engine resumes them. */
void          cc_engine_shutdown             (CcEngine     *self);

G_END_DECLS
