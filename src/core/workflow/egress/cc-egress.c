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
  g_free (self);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CcEgress, cc_egress_free)

/* --- Starting ------------------------------------------------------------ */

/* Reads the journal once where the reader will start, so that a wrong
 * journal URL or refused credentials fail Starting with their reason.
 * A stored position the journal no longer knows is left to the reader,
 * which starts again from the oldest event. */
static gboolean
check_journal (CcEgress          *self,
               CcCampaignClient  *campaign,
               CcStore           *store,
               GError           **error)
{
  g_autofree char *cursor = NULL;
  g_autofree char *url = NULL;
  g_autoptr(CcCampaignJournalPage) page = NULL;
  g_autoptr(GError) local = NULL;

  cursor = cc_store_get_cursor (store, cc_run_get_workflow_id (self->run),
                                CC_EGRESS_CURSOR_JOURNAL, error);
  if (cursor == NULL && error != NULL && *error != NULL)
    return FALSE;
  url = cursor ? g_strdup (cursor)
               : cc_campaign_client_build_journal_url (campaign, NULL, 1);
  if (url == NULL)
    {
      g_set_error_literal (error, CC_ERROR, CC_ERROR_INVALID_CONFIG,
                           _("No journal URL is set for the Campaign connection: enter the "
                             "I/O Events journal URL in the connection settings, or read "
                             "events from the marketing history (source “history”)."));
      return FALSE;
    }

  page = cc_campaign_client_read_journal (campaign, url, cc_run_get_cancellable (self->run),
                                          &local);
  if (page != NULL || (cursor != NULL && g_error_matches (local, CC_ERROR, CC_ERROR_EXPIRED_CURSOR)))
    return TRUE;
  if (local->domain == CC_ERROR && local->code != CC_ERROR_TRANSIENT
      && local->code != CC_ERROR_AUTH_FAILED)
    {
      g_set_error (error, CC_ERROR, local->code,
                   _("The Campaign event journal cannot be read (%s). Check the journal URL "
                     "in the connection settings."),
                   local->message);
      return FALSE;
    }
  g_propagate_error (error, g_steal_pointer (&local));
  return FALSE;
}

static gboolean
check_history (CcEgress          *self,
               CcCampaignClient  *campaign,
               GError           **error)
{
  g_autofree char *url = cc_campaign_client_build_list_url (campaign, "profileAndServices/profile",
                                                            NULL, NULL, NULL, 1);
  g_autoptr(CcCampaignPage) page = NULL;

  page = cc_campaign_client_read_page (campaign, url, cc_run_get_cancellable (self->run),
                                       error);
  return page != NULL;
}

/* Resolves the table of event type @type against the live schema. */
static CcEgressPlan *
plan_event_type (CcEgress           *self,
                 CcEgressEventType   type,
                 CcDataverseClient  *dataverse,
                 GError            **error)
{
  g_autoptr(CcDataverseTable) table = NULL;
  CcEgressPlan *plan;

  table = cc_dataverse_client_get_table (dataverse, self->config->targets[type].table, FALSE,
                                         cc_run_get_cancellable (self->run), error);
  if (table == NULL || !cc_egress_config_check_table (self->config, type, table, error))
    return NULL;

  plan = g_new0 (CcEgressPlan, 1);
  plan->type = type;
  plan->entity_set = g_strdup (table->entity_set_name);
  plan->regarding = g_strconcat ("regardingobjectid_contact_", table->logical_name, NULL);
  return plan;
}

/* Resolves every enabled event type's table against the live schema and
 * checks the event source. */
static gpointer
egress_prepare (CcRun                   *run,
                gpointer                 config,
                const CcRunConnections  *connections,
                GError                 **error)
{
  g_autoptr(CcEgress) self = g_new0 (CcEgress, 1);
  gboolean ok;

  self->run = run;
  self->config = config;
  for (guint i = 0; i < CC_EGRESS_N_EVENTS; i++)
    {
      if (!self->config->targets[i].enabled)
        continue;
      self->plans[i] = plan_event_type (self, i, connections->dataverse, error);
      if (self->plans[i] == NULL)
        return NULL;
    }

  if (self->config->source == CC_EGRESS_SOURCE_JOURNAL)
    ok = check_journal (self, connections->campaign, connections->store, error);
  else
    ok = check_history (self, connections->campaign, error);
  return ok ? g_steal_pointer (&self) : NULL;
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

  return index == 0 ? cc_egress_read_loop (self, error) : cc_egress_write_loop (self, error);
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
  .prepare = egress_prepare,
  .free_state = (GDestroyNotify) cc_egress_free,
  .worker = egress_worker,
};
