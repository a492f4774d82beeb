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
clear_plans (CcEgress *self)
{
  for (guint i = 0; i < CC_EGRESS_N_EVENTS; i++)
    g_clear_pointer (&self->plans[i], plan_free);
}

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

/* Authenticates both sides, resolves every enabled event type's table
 * against the live schema and checks the event source. Transient trouble
 * is retried by the caller; anything else fails Starting. */
static gboolean
prepare (CcEgress           *self,
         CcDataverseClient  *dataverse,
         CcCampaignClient   *campaign,
         CcStore            *store,
         GError            **error)
{
  GCancellable *cancellable = cc_run_get_cancellable (self->run);

  if (!cc_dataverse_client_authenticate (dataverse, cancellable, error)
      || !cc_campaign_client_authenticate (campaign, cancellable, error))
    return FALSE;

  clear_plans (self);
  for (guint i = 0; i < CC_EGRESS_N_EVENTS; i++)
    {
      const CcEgressTarget *target = &self->config->targets[i];
      g_autoptr(CcDataverseTable) table = NULL;
      CcEgressPlan *plan;

      if (!target->enabled)
        continue;
      table = cc_dataverse_client_get_table (dataverse, target->table, FALSE, cancellable, error);
      if (table == NULL)
        return FALSE;
      if (!cc_egress_config_check_table (self->config, i, table, error))
        return FALSE;

      plan = g_new0 (CcEgressPlan, 1);
      plan->type = i;
      plan->entity_set = g_strdup (table->entity_set_name);
      plan->regarding = g_strconcat ("regardingobjectid_contact_", table->logical_name, NULL);
      self->plans[i] = plan;
    }

  if (self->config->source == CC_EGRESS_SOURCE_JOURNAL)
    return check_journal (self, campaign, store, error);
  return check_history (self, campaign, error);
}

/* --- the run --------------------------------------------------------------- */

static gboolean
worker (CcRun     *run,
        guint      index,
        gpointer   user_data,
        GError   **error)
{
  CcEgress *self = user_data;

  return index == 0 ? cc_egress_read_loop (self, error) : cc_egress_write_loop (self, error);
}

static gboolean
egress_run (CcRun   *run,
            GError **error)
{
  CcEgress self = { run, NULL, { NULL } };
  g_autoptr(CcEgressConfig) config = NULL;
  g_autoptr(CcDataverseClient) dataverse = NULL;
  g_autoptr(CcCampaignClient) campaign = NULL;
  g_autoptr(CcStore) store = NULL;
  guint attempt = 0;
  gboolean ok;

  config = cc_egress_config_parse (cc_run_get_config (run), error);
  if (config == NULL)
    return FALSE;
  self.config = config;

  store = cc_run_open_store (run, error);
  if (store == NULL)
    return FALSE;
  dataverse = cc_run_new_dataverse_client (run, 1, error);
  if (dataverse == NULL)
    return FALSE;
  campaign = cc_run_new_campaign_client (run, 1, error);
  if (campaign == NULL)
    return FALSE;

  for (;;)
    {
      g_autoptr(GError) local = NULL;

      if (prepare (&self, dataverse, campaign, store, &local))
        break;
      if (!g_error_matches (local, CC_ERROR, CC_ERROR_TRANSIENT))
        {
          clear_plans (&self);
          g_propagate_error (error, g_steal_pointer (&local));
          return FALSE;
        }
      g_debug ("egress starting: %s; retrying", local->message);
      if (!cc_run_sleep (run, cc_run_backoff_ms (MIN (attempt++, 8))))
        {
          clear_plans (&self);
          return TRUE;
        }
    }

  /* Leases held by a run that died are free again: those events are
   * written once more, and the upsert makes that harmless. */
  if (!cc_store_release_all (store, cc_run_get_workflow_id (run), error))
    {
      clear_plans (&self);
      return FALSE;
    }
  g_clear_object (&store);
  g_clear_object (&dataverse);
  g_clear_object (&campaign);

  cc_run_set_running (run);
  ok = cc_run_workers (run, 1 + config->write_concurrency, worker, &self, error);
  clear_plans (&self);
  return ok;
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
  .run = egress_run,
};
