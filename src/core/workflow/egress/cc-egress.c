/* cc-egress.c — "Campaign to Microsoft Dynamics 365": the kind and its
 * Starting checks.
 *
 * Campaign's email events (send, open, click, bounce) become activities
 * on the contact's timeline in Dynamics 365. One reader thread
 * (cc-egress-reader.c) queues events from the I/O Events journal, or from
 * each profile's marketing history; "write-concurrency" writer threads
 * (cc-egress-writer.c) drain the queue with multipart $batch upserts.
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "cc-egress-private.h"
#include "cc-error.h"
#include "cc-egress.h"

static void
plan_free (CcEgressPlan *plan)
{
  if (plan == NULL)
    return;
  g_free (plan->entity_set);
  g_free (plan->regarding);
  g_free (plan);
}

static void
cc_egress_free (CcEgress *self)
{
  for (guint i = 0; i < CC_EGRESS_N_EVENTS; i++)
    plan_free (self->plans[i]);
  cc_schema_guard_free (self->guard);
  g_free (self);
}

/* --- Starting ------------------------------------------------------------ */

/* What the application user does to an activity table, and to the
 * contacts it links the activities to (contacts others own). */
static const char * const activity_privileges[] = { "Create", "Write", "Append", NULL };
static const char * const contact_privileges[] = { "AppendTo", NULL };

/* The setup check: each enabled event type's table (its columns, the
 * alternate key on the event id, the privileges to write it), the
 * contacts the events are linked to, and where the events come from. */
static void
egress_check (gconstpointer  data,
              CcCheck       *check)
{
  const CcEgressConfig *config = data;
  CcCheckReport *report = cc_check_get_report (check);
  const CcDataverseTable *contact;

  for (guint i = 0; i < CC_EGRESS_N_EVENTS; i++)
    {
      const CcDataverseTable *table;

      if (!config->targets[i].enabled)
        continue;
      table = cc_check_table (check, config->targets[i].table,
                              _("Run “Prepare Dynamics 365” to create it (in the connections "
                                "dialog, or “campaign-connector-ctl prepare dynamics”), or install "
                                "Adobe’s solution and name its tables in the workflow’s "
                                "configuration."));
      if (table == NULL)
        continue;
      cc_egress_config_check_table (config, i, table, report);
      cc_check_alternate_key (check, table, config->columns[CC_EGRESS_COLUMN_EVENT_ID]);
      cc_check_privileges (check, table, activity_privileges, FALSE);
    }
  contact = cc_check_table (check, "contact", NULL);
  cc_check_privileges (check, contact, contact_privileges, TRUE);

  if (config->source == CC_EGRESS_SOURCE_JOURNAL)
    cc_check_journal (check);
  else
    cc_check_resource (check, "profileAndServices/profile");
}

/* Resolves the table of event type @type, which the setup check read. */
static CcEgressPlan *
plan_event_type (CcEgress           *self,
                 CcEgressEventType   type,
                 CcCheck            *check)
{
  const CcDataverseTable *table = cc_check_table (check, self->config->targets[type].table, NULL);
  CcEgressPlan *plan;

  g_return_val_if_fail (table != NULL, NULL);

  plan = g_new0 (CcEgressPlan, 1);
  plan->type = type;
  plan->entity_set = g_strdup (table->entity_set_name);
  plan->regarding = g_strconcat ("regardingobjectid_contact_", table->logical_name, NULL);
  return plan;
}

/* A plan for every enabled event type, which the setup check passed. */
static gpointer
egress_prepare (CcRun                   *run,
                gpointer                 config,
                const CcRunConnections  *connections,
                GError                 **error)
{
  CcEgress *self = g_new0 (CcEgress, 1);

  self->run = run;
  self->config = config;
  for (guint i = 0; i < CC_EGRESS_N_EVENTS; i++)
    if (self->config->targets[i].enabled)
      self->plans[i] = plan_event_type (self, i, connections->check);
  self->guard = cc_schema_guard_new ();
  return self;
}

/* --- the run --------------------------------------------------------------- */

/* One reader, then the writers. */
static guint
egress_count_workers (gconstpointer config)
{
  return 1 + ((const CcEgressConfig *) config)->write_concurrency;
}

static gboolean
egress_worker (CcRun     *run,
               guint      index,
               gpointer   user_data,
               GError   **error)
{
  CcEgress *self = user_data;

  return index == 0 ? cc_egress_read_loop (self, error)
                    : cc_egress_write_loop (self, index - 1, error);
}

/* Marks the replay for the reader, which takes it up at its next page
 * (in this run or the next): the journal is read again from its oldest
 * event, passing over events older than @since. */
static gboolean
egress_replay (gconstpointer   data,
               CcStore        *store,
               const char     *since,
               GError        **error)
{
  return cc_store_set_cursor (store, "egress", CC_EGRESS_CURSOR_REPLAY, since, error);
}

const CcWorkflowKind cc_egress_kind = {
  .id = "egress",
  .title = N_("Campaign to Microsoft Dynamics 365"),
  .subtitle = N_("Email marketing events onto the contact’s timeline"),
  .default_config = cc_egress_config_default,
  .parse = (gpointer (*) (JsonNode *, GError **)) cc_egress_config_parse,
  .to_json = (JsonNode * (*) (gconstpointer)) cc_egress_config_to_json,
  .free_config = (GDestroyNotify) cc_egress_config_free,
  .replay = egress_replay,
  .count_workers = egress_count_workers,
  .check = egress_check,
  .prepare = egress_prepare,
  .free_state = (GDestroyNotify) cc_egress_free,
  .worker = egress_worker,
};
