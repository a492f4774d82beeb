/* cc-ingress.c — "Microsoft Dynamics 365 to Campaign": the kind and its
 * Starting checks.
 *
 * One reader thread (cc-ingress-reader.c) pulls each mapped table from
 * Dynamics 365 into the queue; "write-concurrency" writer threads
 * (cc-ingress-writer.c) drain the queue into Campaign. Tables without
 * change tracking are swept now and then for deletes (cc-ingress-sweep.c).
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "cc-error.h"
#include "cc-ingress-private.h"
#include "cc-mapper.h"
#include "cc-ingress.h"

static void
plan_free (CcIngressPlan *plan)
{
  g_free (plan->entity_set);
  g_free (plan->primary_key);
  g_strfreev (plan->columns);
  g_free (plan->cursor_name);
  g_free (plan->replay_name);
  g_free (plan->sweep_name);
  g_free (plan->identity_space);
  g_free (plan->seen_space);
  g_free (plan->version_space);
  g_free (plan);
}

static char *
identity_space (const char *mapping_id)
{
  return g_strdup_printf ("ingress/%s/identity", mapping_id);
}

static char *
replay_cursor_name (const char *mapping_id)
{
  return g_strdup_printf ("replay/%s", mapping_id);
}

const CcIngressPlan *
cc_ingress_find_plan (CcIngress  *self,
                      const char *mapping_id)
{
  for (guint i = 0; i < self->plans->len; i++)
    {
      const CcIngressPlan *plan = g_ptr_array_index (self->plans, i);
      if (g_strcmp0 (plan->mapping->id, mapping_id) == 0)
        return plan;
    }
  return NULL;
}

/* --- Starting ------------------------------------------------------------ */

static gboolean
is_transient (const GError *error)
{
  return g_error_matches (error, CC_ERROR, CC_ERROR_TRANSIENT);
}

/* Authenticates both sides and checks every mapping against the live
 * schemas; fills self->plans. Transient trouble is retried here: only a
 * real problem fails Starting. */
static gboolean
prepare (CcIngress          *self,
         CcDataverseClient  *dataverse,
         CcCampaignClient   *campaign,
         GError            **error)
{
  GCancellable *cancellable = cc_run_get_cancellable (self->run);

  if (!cc_dataverse_client_authenticate (dataverse, cancellable, error))
    return FALSE;
  if (!cc_campaign_client_authenticate (campaign, cancellable, error))
    return FALSE;

  g_ptr_array_set_size (self->plans, 0);
  for (guint i = 0; i < self->config->mappings->len; i++)
    {
      const CcTableMapping *mapping = g_ptr_array_index (self->config->mappings, i);
      g_autoptr(CcDataverseTable) table = NULL;
      g_autoptr(CcCampaignResourceType) type = NULL;
      g_auto(GStrv) sources = NULL;
      g_autoptr(GStrvBuilder) columns = g_strv_builder_new ();
      CcIngressPlan *plan;

      table = cc_dataverse_client_get_table (dataverse, mapping->source, FALSE, cancellable, error);
      if (table == NULL)
        return FALSE;
      type = cc_campaign_client_get_resource_type (campaign, mapping->target, cancellable, error);
      if (type == NULL)
        return FALSE;
      if (!cc_table_mapping_check_schema (mapping, table, type, error))
        return FALSE;

      sources = cc_table_mapping_source_columns (mapping);
      g_strv_builder_add (columns, table->primary_id_attribute);
      for (guint j = 0; sources[j] != NULL; j++)
        if (g_strcmp0 (sources[j], table->primary_id_attribute) != 0)
          g_strv_builder_add (columns, sources[j]);
      if (!table->change_tracking && !g_strv_contains ((const char * const *) sources, "modifiedon")
          && cc_dataverse_table_find_column (table, "modifiedon") != NULL)
        g_strv_builder_add (columns, "modifiedon");

      plan = g_new0 (CcIngressPlan, 1);
      plan->mapping = mapping;
      plan->entity_set = g_strdup (table->entity_set_name);
      plan->primary_key = g_strdup (table->primary_id_attribute);
      plan->change_tracking = table->change_tracking;
      plan->columns = g_strv_builder_end (columns);
      plan->cursor_name = g_strdup_printf ("read/%s", mapping->id);
      plan->replay_name = replay_cursor_name (mapping->id);
      plan->sweep_name = g_strdup_printf ("sweep/%s", mapping->id);
      plan->identity_space = identity_space (mapping->id);
      plan->seen_space = g_strdup_printf ("ingress/%s/seen", mapping->id);
      plan->version_space = g_strdup_printf ("ingress/%s/version", mapping->id);
      g_ptr_array_add (self->plans, plan);
    }
  return TRUE;
}

static gboolean
worker (CcRun     *run,
        guint      index,
        gpointer   user_data,
        GError   **error)
{
  CcIngress *self = user_data;

  return index == 0 ? cc_ingress_read_loop (self, error) : cc_ingress_write_loop (self, error);
}

static gboolean
ingress_run (CcRun   *run,
             GError **error)
{
  CcIngress self = { run, NULL, NULL };
  g_autoptr(GPtrArray) plans = g_ptr_array_new_with_free_func ((GDestroyNotify) plan_free);
  g_autoptr(CcIngressConfig) config = NULL;
  g_autoptr(CcDataverseClient) dataverse = NULL;
  g_autoptr(CcCampaignClient) campaign = NULL;
  g_autoptr(CcStore) store = NULL;
  guint attempt = 0;

  config = cc_ingress_config_parse (cc_run_get_config (run), error);
  if (config == NULL)
    return FALSE;
  self.config = config;
  self.plans = plans;

  dataverse = cc_run_new_dataverse_client (run, 1, error);
  if (dataverse == NULL)
    return FALSE;
  campaign = cc_run_new_campaign_client (run, 1, error);
  if (campaign == NULL)
    return FALSE;

  for (;;)
    {
      g_autoptr(GError) local = NULL;

      if (prepare (&self, dataverse, campaign, &local))
        break;
      if (!is_transient (local))
        {
          g_propagate_error (error, g_steal_pointer (&local));
          return FALSE;
        }
      g_debug ("ingress starting: %s; retrying", local->message);
      if (!cc_run_sleep (run, cc_run_backoff_ms (MIN (attempt++, 8))))
        return TRUE;
    }

  /* Leases held by a run that died are free again: those records are
   * written once more, idempotently. */
  store = cc_run_open_store (run, error);
  if (store == NULL || !cc_store_release_all (store, cc_run_get_workflow_id (run), error))
    return FALSE;
  g_clear_object (&store);
  g_clear_object (&dataverse);
  g_clear_object (&campaign);

  cc_run_set_running (run);
  return cc_run_workers (run, 1 + config->write_concurrency, worker, &self, error);
}

static gboolean
ingress_replay (gconstpointer   data,
                CcStore        *store,
                const char     *since,
                GError        **error)
{
  const CcIngressConfig *config = data;

  for (guint i = 0; i < config->mappings->len; i++)
    {
      const CcTableMapping *mapping = g_ptr_array_index (config->mappings, i);
      g_autofree char *name = replay_cursor_name (mapping->id);

      if (!cc_store_set_cursor (store, "ingress", name, since, error))
        return FALSE;
    }
  return TRUE;
}

const CcWorkflowKind cc_ingress_kind = {
  .id = "ingress",
  .title = N_("Microsoft Dynamics 365 to Campaign"),
  .subtitle = N_("Contacts and custom entities into Campaign profiles and custom resources"),
  .default_config = cc_ingress_config_default,
  .parse = (gpointer (*) (JsonNode *, GError **)) cc_ingress_config_parse,
  .to_json = (JsonNode * (*) (gconstpointer)) cc_ingress_config_to_json,
  .free_config = (GDestroyNotify) cc_ingress_config_free,
  .replay = ingress_replay,
  .run = ingress_run,
};
