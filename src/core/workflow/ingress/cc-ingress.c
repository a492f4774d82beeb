/* cc-ingress.c — "Microsoft Dynamics 365 to Campaign": the kind and its
 * Starting checks.
 *
 * One reader thread (cc-ingress-reader.c) pulls each mapped table from
 * Dynamics 365 into the queue; one or two writer threads
 * (cc-ingress-writer.c) drain the queue into Campaign with
 * "write-concurrency" requests in flight. Tables without
 * change tracking are polled, and swept now and then for deletes
 * (cc-poll-reader.h).
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "cc-error.h"
#include "cc-ingress-private.h"
#include "cc-mapper.h"
#include "cc-ingress.h"
#include "cc-write-pump.h"

static void
plan_free (CcIngressPlan *plan)
{
  g_free (plan->entity_set);
  g_free (plan->primary_key);
  g_strfreev (plan->columns);
  g_free (plan->cursor_name);
  g_free (plan->replay_name);
  g_free (plan->backfill_name);
  g_free (plan->fields_name);
  g_strfreev (plan->backfill_fields);
  g_free (plan->identity_space);
  g_free (plan->seen_space);
  cc_poll_reader_free (plan->poll);
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

static void
cc_ingress_free (CcIngress *self)
{
  g_ptr_array_unref (self->plans);
  cc_schema_guard_free (self->guard);
  g_free (self);
}

/* $select for @mapping: the primary key, the mapped columns and, for a
 * table polled without change tracking, modifiedon. */
static GStrv
select_columns (const CcTableMapping   *mapping,
                const CcDataverseTable *table)
{
  g_auto(GStrv) sources = cc_table_mapping_source_columns (mapping);
  g_autoptr(GStrvBuilder) columns = g_strv_builder_new ();

  g_strv_builder_add (columns, table->primary_id_attribute);
  for (guint j = 0; sources[j] != NULL; j++)
    if (g_strcmp0 (sources[j], table->primary_id_attribute) != 0)
      g_strv_builder_add (columns, sources[j]);
  if (!table->change_tracking && !g_strv_contains ((const char * const *) sources, "modifiedon")
      && cc_dataverse_table_find_column (table, "modifiedon") != NULL)
    g_strv_builder_add (columns, "modifiedon");
  return g_strv_builder_end (columns);
}

/* The reader of a table without change tracking. */
static CcPollReader *
new_poll_reader (const CcIngressConfig  *config,
                 const CcIngressPlan    *plan,
                 const CcDataverseTable *table)
{
  g_autofree char *sweep_name = g_strdup_printf ("sweep/%s", plan->mapping->id);
  g_autofree char *version_space = g_strdup_printf ("ingress/%s/version", plan->mapping->id);
  CcPollSetup setup = {
    .workflow_id = "ingress",
    .table = table->logical_name,
    .entity_set = plan->entity_set,
    .primary_key = plan->primary_key,
    .columns = (const char * const *) plan->columns,
    .flags = plan->mapping->display_values ? CC_DATAVERSE_READ_FORMATTED_VALUES
                                           : CC_DATAVERSE_READ_NONE,
    .page_size = config->page_size,
    .poll_interval_s = config->poll_interval_s,
    .cursor_name = plan->cursor_name,
    .sweep_name = sweep_name,
    .version_space = version_space,
    .seen_space = plan->seen_space,
    .known_space = plan->identity_space,
  };

  return cc_poll_reader_new (&setup);
}

/* Resolves what the reader and writers need to know of @mapping, from
 * the table the setup check read. */
static CcIngressPlan *
plan_mapping (const CcIngressConfig  *config,
              const CcTableMapping   *mapping,
              CcCheck                *check)
{
  const CcDataverseTable *table = cc_check_table (check, mapping->source, NULL);
  CcIngressPlan *plan;

  g_return_val_if_fail (table != NULL, NULL);

  plan = g_new0 (CcIngressPlan, 1);
  plan->mapping = mapping;
  plan->entity_set = g_strdup (table->entity_set_name);
  plan->primary_key = g_strdup (table->primary_id_attribute);
  plan->columns = select_columns (mapping, table);
  plan->cursor_name = g_strdup_printf ("read/%s", mapping->id);
  plan->replay_name = replay_cursor_name (mapping->id);
  plan->backfill_name = g_strdup_printf ("backfill/%s", mapping->id);
  plan->fields_name = g_strdup_printf ("fields/%s", mapping->id);
  plan->identity_space = identity_space (mapping->id);
  plan->seen_space = g_strdup_printf ("ingress/%s/seen", mapping->id);
  if (!table->change_tracking)
    plan->poll = new_poll_reader (config, plan, table);
  return plan;
}

/* A plan for every mapping, which the setup check passed. */
static gpointer
ingress_prepare (CcRun                   *run,
                 gpointer                 config,
                 const CcRunConnections  *connections,
                 GError                 **error)
{
  CcIngress *self = g_new0 (CcIngress, 1);

  self->run = run;
  self->config = config;
  self->plans = g_ptr_array_new_with_free_func ((GDestroyNotify) plan_free);
  for (guint i = 0; i < self->config->mappings->len; i++)
    g_ptr_array_add (self->plans, plan_mapping (self->config,
                                                g_ptr_array_index (self->config->mappings, i),
                                                connections->check));
  /* The mappings may read and write other columns than at the last start. */
  if (!cc_ingress_refit (self, connections->store, error))
    {
      cc_ingress_free (self);
      return NULL;
    }
  self->guard = cc_schema_guard_new ();
  return self;
}

/* --- the run --------------------------------------------------------------- */

/* One reader, then the writer threads (cc_write_pump_count_threads). */
static guint
ingress_count_workers (gconstpointer config)
{
  return 1 + cc_write_pump_count_threads (((const CcIngressConfig *) config)->write_concurrency);
}

static gboolean
ingress_worker (CcRun     *run,
                guint      index,
                gpointer   user_data,
                GError   **error)
{
  CcIngress *self = user_data;
  guint concurrency = self->config->write_concurrency;

  if (index == 0)
    return cc_ingress_read_loop (self, error);
  return cc_ingress_write_loop (self,
                                cc_write_pump_share (concurrency, index - 1,
                                                     cc_write_pump_count_threads (concurrency)),
                                error);
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
  .count_workers = ingress_count_workers,
  .check = cc_ingress_check,
  .prepare = ingress_prepare,
  .free_state = (GDestroyNotify) cc_ingress_free,
  .worker = ingress_worker,
};
