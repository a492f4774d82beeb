/* cc-workflow-kind.h — what makes the three workflows different.
 *
 * CcWorkflow is the same object for all three; a CcWorkflowKind supplies
 * its title, its default configuration and how it reads one, the replay
 * markers and the run itself (which happens in a worker thread).
 */
#pragma once

#include <json-glib/json-glib.h>

#include "cc-run.h"
#include "cc-store.h"

G_BEGIN_DECLS

typedef struct
{
  const char *id;
  const char *title;      /* N_(): translated where shown */
  const char *subtitle;   /* N_(): what moves, which way */

  JsonNode *(*default_config) (void);
  /* Parses and validates a configuration: the kind's own structure, or
   * NULL with CC_ERROR_INVALID_CONFIG naming the field. */
  gpointer  (*parse)          (JsonNode       *config,
                               GError        **error);
  /* Writes a parsed configuration back, every default spelled out (so
   * that two configurations that mean the same compare equal). */
  JsonNode *(*to_json)        (gconstpointer   config);
  GDestroyNotify free_config;
  /* Marks the data of the parsed @config to read again (@since: "all" or
   * an ISO-8601 time), through @store, for the next or the current run. */
  gboolean  (*replay)         (gconstpointer   config,
                               CcStore        *store,
                               const char     *since,
                               GError        **error);
  /* The whole run, in a worker thread: Starting checks, then
   * cc_run_set_running, then work until cancelled. Returns FALSE with
   * the error that failed the run (cancellation is not a failure). */
  gboolean  (*run)            (CcRun          *run,
                               GError        **error);
} CcWorkflowKind;

G_END_DECLS
