/* cc-test-engine.h — the real `campaign-connector` as a subprocess on the
 * test's private session bus, and other programs run to completion. */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define CC_TEST_BUS_NAME  "io.github.campaignconnector.CampaignConnector"
#define CC_TEST_PATH      "/io/github/campaignconnector/CampaignConnector"
#define CC_TEST_MANAGER   "io.github.campaignconnector.Manager1"
#define CC_TEST_WORKFLOW  "io.github.campaignconnector.Workflow1"

typedef struct
{
  GSubprocess     *process;
  GDBusConnection *bus;
  char            *root;      /* its XDG_CONFIG_HOME and XDG_DATA_HOME live here */
  char            *log_path;  /* its stdout and stderr, with debug messages */
  gboolean         exited;
  int              exit_status;
} CcTestEngine;

/* $CC_BUILD_DIR/<relative> */
char         *cc_test_build_path        (const char          *relative);

/* Starts `campaign-connector @args` with its own configuration and data
 * folders (under a new temporary folder) and waits until it owns the bus
 * name. Without @display it runs with DISPLAY unset. */
CcTestEngine *cc_test_engine_start      (const char * const  *args,
                                         gboolean             display);
/* Starts `campaign-connector @args` again in the folders of @engine, whose
 * process has ended (its log goes on in the same file). */
void          cc_test_engine_start_again (CcTestEngine       *engine,
                                          const char * const *args,
                                          gboolean            display);
/* Waits for the process to end; FALSE when it did not within @timeout_s. */
gboolean      cc_test_engine_wait_exit  (CcTestEngine        *engine,
                                         guint                timeout_s);
/* Manager1.Quit, then waits for the exit (SIGKILL as a last resort, which
 * fails the test). */
void          cc_test_engine_quit       (CcTestEngine        *engine);
void          cc_test_engine_free       (CcTestEngine        *engine);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CcTestEngine, cc_test_engine_free)

/* Environment for a program that should see the same folders as @engine
 * (NULL: the test's own). */
char        **cc_test_engine_environ    (CcTestEngine        *engine,
                                         gboolean             display);

/* Runs @argv to its end, feeding @input (may be NULL) on stdin; returns
 * the exit status and fills @out / @err (may be NULL). */
int           cc_test_run               (const char * const  *argv,
                                         char               **envp,
                                         const char          *input,
                                         char               **out,
                                         char               **err);

/* Runs `campaign-connector-ctl` with the arguments from @first (a NULL
 * ends them) and @input on stdin, so never on a terminal; returns its exit
 * status and fills @out / @err (may be NULL). Both go to the test log. */
int           cc_test_ctl               (const char          *input,
                                         char               **out,
                                         char               **err,
                                         const char          *first,
                                         ...) G_GNUC_NULL_TERMINATED;

/* A method call on the engine; NULL with @error set when it failed. */
GVariant     *cc_test_call              (GDBusConnection     *bus,
                                         const char          *path,
                                         const char          *interface,
                                         const char          *method,
                                         GVariant            *parameters,
                                         GError             **error);
/* Property @name of @interface at @path (fails the test when it cannot
 * be read). */
GVariant     *cc_test_get_property      (GDBusConnection     *bus,
                                         const char          *path,
                                         const char          *interface,
                                         const char          *name);
/* The D-Bus error name of a failed call (e.g. "…Error.NotFound"). */
char         *cc_test_error_name        (const GError        *error);

/* Whether any file under @dir contains @needle (as bytes). */
gboolean      cc_test_tree_contains     (const char          *dir,
                                         const char          *needle);

G_END_DECLS
