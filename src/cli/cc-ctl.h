/* cc-ctl.h — what the parts of campaign-connector-ctl share.
 *
 * main.c parses the command line and connects to the engine; the
 * commands (cc-ctl-commands.c, cc-ctl-logs.c, cc-ctl-connection.c) call
 * it over D-Bus; cc-ctl-output.c prints tables, JSON and the one-line
 * errors, cc-ctl-allowance.c Campaign's API allowance, cc-ctl-activity.c
 * a workflow's recent activity.
 */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "cc-dbus-generated.h"

G_BEGIN_DECLS

#define CC_CTL_PROGRAM "campaign-connector-ctl"

/* Exit statuses. */
enum
{
  CC_CTL_EXIT_OK = 0,
  CC_CTL_EXIT_FAILED = 1,
  CC_CTL_EXIT_USAGE = 2,
};

typedef struct
{
  GDBusConnection *bus;
  CcManager1      *manager;

  /* Options; which command takes which is checked in main.c. */
  gboolean         json;
  gboolean         wait;
  gboolean         secret;
  int              timeout_s;   /* for --wait; 0 = no limit */
  int              limit;       /* entries of errors / history */
  gboolean         yes;         /* prepare: apply without asking */
  char            *prefix;      /* prepare: the customization prefix */
  /* The error-log filter of errors and retry; NULL = any. */
  char            *reason;
  char            *record;
  char            *search;
  gboolean         by_reason;
  gboolean         csv;
} CcCtl;

typedef int (*CcCtlCommandFunc) (CcCtl       *ctl,
                                 int          argc,
                                 const char **argv);

/* --- output (cc-ctl-output.c) ---------------------------------------- */

/* One line on stderr: "campaign-connector-ctl: <message>". Returns
 * CC_CTL_EXIT_FAILED. */
int         cc_ctl_fail            (const char   *format,
                                    ...) G_GNUC_PRINTF (1, 2);
/* The message of a failed call, without GDBus's decoration. */
int         cc_ctl_fail_error      (const GError *error);
/* A usage error: what was wrong and the command's synopsis, on one line.
 * Returns CC_CTL_EXIT_USAGE. */
int         cc_ctl_usage           (const char   *synopsis,
                                    const char   *format,
                                    ...) G_GNUC_PRINTF (2, 3);

/* A table with a header row; every row has as many cells as @headers.
 * The headers are marked with N_() and translated here. */
typedef struct _CcCtlTable CcCtlTable;
CcCtlTable *cc_ctl_table_new       (const char * const *headers);
void        cc_ctl_table_add_row   (CcCtlTable   *table,
                                    const char   *first_cell,
                                    ...) G_GNUC_NULL_TERMINATED;
void        cc_ctl_table_print     (CcCtlTable   *table);
void        cc_ctl_table_free      (CcCtlTable   *table);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CcCtlTable, cc_ctl_table_free)

void        cc_ctl_print_json      (JsonNode     *node);
void        cc_ctl_print_json_array (JsonArray   *array);
/* Locale-formatted count, e.g. 12,345. */
char       *cc_ctl_format_count    (guint64       value);
/* Local time of a unix time in µs; "—" for 0. */
char       *cc_ctl_format_time     (gint64        usec);
/* At most @max characters, on one line, with an ellipsis when cut. */
char       *cc_ctl_ellipsize       (const char   *text,
                                    guint         max);
/* The translated word for a status ("running" → "Running"). */
const char *cc_ctl_status_label    (const char   *status);

/* --- shared by the commands (cc-ctl-commands.c) ----------------------- */

/* The Workflow1 proxy of @id, with its properties; prints the error and
 * returns NULL when there is no such workflow or no engine. */
CcWorkflow1 *cc_ctl_get_workflow   (CcCtl        *ctl,
                                    const char   *id);
/* The workflow a command names as its one and only argument. NULL once
 * the usage or the lookup error is printed; @status is then the exit
 * status. */
CcWorkflow1 *cc_ctl_get_named_workflow (CcCtl       *ctl,
                                        int          argc,
                                        const char **argv,
                                        const char  *synopsis,
                                        int         *status);

/* --- Campaign's API allowance (cc-ctl-allowance.c) -------------------- */

/* A few lines under `status`: the calls of today and the limits, and
 * whether workflows wait for the next day. Nothing when the engine does
 * not say. */
void        cc_ctl_print_allowance (CcCtl        *ctl);

/* --- commands ----------------------------------------------------------- */

int cc_ctl_list               (CcCtl *ctl, int argc, const char **argv);
int cc_ctl_status             (CcCtl *ctl, int argc, const char **argv);
int cc_ctl_start              (CcCtl *ctl, int argc, const char **argv);
int cc_ctl_stop               (CcCtl *ctl, int argc, const char **argv);
int cc_ctl_config             (CcCtl *ctl, int argc, const char **argv);
int cc_ctl_replay             (CcCtl *ctl, int argc, const char **argv);
int cc_ctl_errors             (CcCtl *ctl, int argc, const char **argv);
int cc_ctl_retry              (CcCtl *ctl, int argc, const char **argv);
int cc_ctl_history            (CcCtl *ctl, int argc, const char **argv);
int cc_ctl_activity           (CcCtl *ctl, int argc, const char **argv);
int cc_ctl_quit               (CcCtl *ctl, int argc, const char **argv);
int cc_ctl_connection         (CcCtl *ctl, int argc, const char **argv);
int cc_ctl_check              (CcCtl *ctl, int argc, const char **argv);
int cc_ctl_prepare            (CcCtl *ctl, int argc, const char **argv);

G_END_DECLS
