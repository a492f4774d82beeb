/* cc-egress-config.c — reading, validating and writing back the egress
 * configuration, and checking its target tables against Dynamics 365.
 *
 * to_json() writes every setting, defaults included, so what GetConfig
 * shows is what runs; parse (to_json (c)) gives back c.
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "cc-check.h"
#include "cc-egress-config.h"
#include "cc-error.h"
#include "cc-json-check.h"
#include "cc-json-write.h"

static const char * const event_names[] = { "send", "open", "click", "bounce", NULL };

/* Adobe's solution ships one custom activity table per event type; the
 * sandbox names them so. */
static const char * const default_tables[] = {
  "new_emailsend", "new_emailopen", "new_emailclick", "new_emailbounce",
};

static const char * const field_names[] = {
  "id", "type", "contact", "campaign-id", "campaign-name", "delivery-id",
  "delivery-name", "time", "mirror-page", "tracking-url", NULL
};

static const char * const default_fields[] = {
  "id", "type", "externalId", "campaignId", "campaignName", "deliveryId",
  "deliveryName", "timestamp", "mirrorPageUrl", "trackingUrl",
};

static const char * const column_names[] = {
  "event-id", "subject", "campaign-name", "delivery-name", "time",
  "mirror-page", "tracking-url", NULL
};

static const char * const default_columns[] = {
  "new_campaigneventid", "subject", "new_campaignname", "new_deliveryname",
  "new_eventdate", "new_mirrorpageurl", "new_trackingurl",
};

static const char * const source_names[] = { "journal", "history", NULL };
static const char * const missing_names[] = { "error-log", "skip", NULL };

G_STATIC_ASSERT (G_N_ELEMENTS (event_names) == CC_EGRESS_N_EVENTS + 1);
G_STATIC_ASSERT (G_N_ELEMENTS (field_names) == CC_EGRESS_N_FIELDS + 1);
G_STATIC_ASSERT (G_N_ELEMENTS (column_names) == CC_EGRESS_N_COLUMNS + 1);

const char *
cc_egress_event_type_to_string (CcEgressEventType type)
{
  g_return_val_if_fail ((guint) type < CC_EGRESS_N_EVENTS, NULL);

  return event_names[type];
}

gboolean
cc_egress_event_type_parse (const char        *word,
                            CcEgressEventType *type)
{
  for (guint i = 0; i < CC_EGRESS_N_EVENTS; i++)
    if (g_strcmp0 (word, event_names[i]) == 0)
      {
        *type = (CcEgressEventType) i;
        return TRUE;
      }
  return FALSE;
}

const char *
cc_egress_field_to_string (CcEgressField field)
{
  g_return_val_if_fail ((guint) field < CC_EGRESS_N_FIELDS, NULL);

  return field_names[field];
}

void
cc_egress_config_free (CcEgressConfig *config)
{
  if (config == NULL)
    return;
  for (guint i = 0; i < CC_EGRESS_N_EVENTS; i++)
    g_free (config->targets[i].table);
  for (guint i = 0; i < CC_EGRESS_N_FIELDS; i++)
    g_free (config->fields[i]);
  for (guint i = 0; i < CC_EGRESS_N_COLUMNS; i++)
    g_free (config->columns[i]);
  g_free (config);
}

/* ------------------------------------------------------------------ */
/* Parsing                                                             */

static gboolean
parse_targets (JsonObject      *root,
               CcEgressConfig  *config,
               GError         **error)
{
  JsonNode *node = json_object_get_member (root, "event-types");
  JsonObject *types = NULL;
  gboolean any = FALSE;

  if (node != NULL && !cc_json_check_object (node, "event-types", event_names, &types, error))
    return FALSE;

  for (guint i = 0; i < CC_EGRESS_N_EVENTS; i++)
    {
      static const char * const members[] = { "enabled", "table", NULL };
      g_autofree char *path = g_strconcat ("event-types.", event_names[i], NULL);
      g_autofree char *table_path = g_strconcat (path, ".table", NULL);
      CcEgressTarget *target = &config->targets[i];
      JsonNode *type_node = types ? json_object_get_member (types, event_names[i]) : NULL;
      JsonObject *type = NULL;

      if (type_node == NULL)
        {
          target->enabled = TRUE;
          target->table = g_strdup (default_tables[i]);
          any = TRUE;
          continue;
        }
      if (!cc_json_check_object (type_node, path, members, &type, error)
          || !cc_json_check_boolean (type, path, "enabled", TRUE, &target->enabled, error)
          || !cc_json_check_string (type, path, "table", default_tables[i], CC_JSON_CHECK_NONE,
                                    &target->table, error)
          || !cc_json_check_logical_name (table_path, target->table, error))
        return FALSE;
      any |= target->enabled;
    }

  if (!any)
    return cc_json_check_refuse (error, "event-types",
                                 _("at least one event type must be enabled (to move no "
                                   "events, stop the workflow instead)"));
  return TRUE;
}

/* A member of the event payload: a name, or names joined by "." to
 * descend into objects (e.g. "mirrorPage.href"). */
static gboolean
check_field_name (const char  *path,
                  const char  *name,
                  GError     **error)
{
  g_auto(GStrv) parts = g_strsplit (name, ".", -1);

  for (guint i = 0; parts[i] != NULL; i++)
    if (*parts[i] == '\0')
      return cc_json_check_refuse (error, path,
                                   _("“%s” is not a payload member name (write a name such as "
                                     "“externalId”, or “mirrorPage.href” for a nested one)"),
                                   name);
  return TRUE;
}

static gboolean
parse_fields (JsonObject      *root,
              CcEgressConfig  *config,
              GError         **error)
{
  if (!cc_json_check_strings (root, "event-fields", field_names, default_fields,
                              CC_JSON_CHECK_NONE, config->fields, error))
    return FALSE;
  for (guint i = 0; i < CC_EGRESS_N_FIELDS; i++)
    {
      g_autofree char *path = g_strconcat ("event-fields.", field_names[i], NULL);

      if (!check_field_name (path, config->fields[i], error))
        return FALSE;
    }
  return TRUE;
}

/* Each column a logical name, none twice. The event id is the upsert key
 * and the subject is what the timeline shows: both must be written. The
 * rest may be "" (not written), for tables that lack such a column. */
static gboolean
parse_columns (JsonObject      *root,
               CcEgressConfig  *config,
               GError         **error)
{
  if (!cc_json_check_strings (root, "target-columns", column_names, default_columns,
                              CC_JSON_CHECK_MAY_BE_EMPTY, config->columns, error))
    return FALSE;
  for (guint i = 0; i < CC_EGRESS_N_COLUMNS; i++)
    {
      g_autofree char *path = g_strconcat ("target-columns.", column_names[i], NULL);
      gboolean required = i == CC_EGRESS_COLUMN_EVENT_ID || i == CC_EGRESS_COLUMN_SUBJECT;

      if (*config->columns[i] == '\0' && required)
        return cc_json_check_refuse (error, path, _("must not be empty"));
      if (*config->columns[i] == '\0')
        continue;
      if (!cc_json_check_logical_name (path, config->columns[i], error))
        return FALSE;
      for (guint j = 0; j < i; j++)
        if (g_str_equal (config->columns[i], config->columns[j]))
          return cc_json_check_refuse (error, path,
                                       _("“%s” is already the column of target-columns.%s"),
                                       config->columns[i], column_names[j]);
    }
  return TRUE;
}

CcEgressConfig *
cc_egress_config_parse (JsonNode  *node,
                        GError   **error)
{
  static const char * const members[] = {
    "event-types", "source", "batch-size", "write-concurrency", "missing-contact",
    "journal-limit", "poll-interval", "event-fields", "target-columns", NULL
  };
  g_autoptr(CcEgressConfig) config = g_new0 (CcEgressConfig, 1);
  JsonObject *root = NULL;
  guint source, missing;

  if (!cc_json_check_object (node, "", members, &root, error)
      || !parse_targets (root, config, error)
      || !cc_json_check_choice (root, NULL, "source", source_names, 0, &source, error)
      || !cc_json_check_uint (root, NULL, "batch-size", 1, CC_DATAVERSE_MAX_BATCH_OPS,
                              CC_EGRESS_DEFAULT_BATCH_SIZE, &config->batch_size, error)
      || !cc_json_check_uint (root, NULL, "write-concurrency", 1, 16,
                              CC_EGRESS_DEFAULT_WRITE_CONCURRENCY, &config->write_concurrency, error)
      || !cc_json_check_choice (root, NULL, "missing-contact", missing_names, 0, &missing, error)
      || !cc_json_check_uint (root, NULL, "journal-limit", 1, 1000,
                              CC_EGRESS_DEFAULT_JOURNAL_LIMIT, &config->journal_limit, error)
      || !cc_json_check_uint (root, NULL, "poll-interval", 1, 3600,
                              CC_EGRESS_DEFAULT_POLL_INTERVAL, &config->poll_interval_s, error)
      || !parse_fields (root, config, error)
      || !parse_columns (root, config, error))
    return NULL;

  config->source = (CcEgressSource) source;
  config->missing_contact = (CcEgressMissingContact) missing;
  return g_steal_pointer (&config);
}

/* ------------------------------------------------------------------ */
/* Writing back                                                        */

JsonNode *
cc_egress_config_to_json (const CcEgressConfig *config)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  g_return_val_if_fail (config != NULL, NULL);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "event-types");
  json_builder_begin_object (builder);
  for (guint i = 0; i < CC_EGRESS_N_EVENTS; i++)
    {
      json_builder_set_member_name (builder, event_names[i]);
      json_builder_begin_object (builder);
      cc_json_write_boolean (builder, "enabled", config->targets[i].enabled);
      cc_json_write_string (builder, "table", config->targets[i].table);
      json_builder_end_object (builder);
    }
  json_builder_end_object (builder);

  cc_json_write_string (builder, "source", source_names[config->source]);
  cc_json_write_uint (builder, "batch-size", config->batch_size);
  cc_json_write_uint (builder, "write-concurrency", config->write_concurrency);
  cc_json_write_string (builder, "missing-contact", missing_names[config->missing_contact]);
  cc_json_write_uint (builder, "journal-limit", config->journal_limit);
  cc_json_write_uint (builder, "poll-interval", config->poll_interval_s);
  cc_json_write_strings (builder, "event-fields", field_names, config->fields, CC_EGRESS_N_FIELDS);
  cc_json_write_strings (builder, "target-columns", column_names, config->columns,
                         CC_EGRESS_N_COLUMNS);
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}

JsonNode *
cc_egress_config_default (void)
{
  return cc_json_write_defaults ((CcJsonParseFunc) cc_egress_config_parse,
                                 (CcJsonWriteFunc) cc_egress_config_to_json,
                                 (GDestroyNotify) cc_egress_config_free);
}

/* ------------------------------------------------------------------ */
/* The live schema                                                     */

/* One configured column of the table: there, writable, and for the
 * event id a text column (its alternate key is checked apart). */
static void
check_column (const CcEgressConfig     *config,
              CcEgressEventType         type,
              const CcDataverseTable   *table,
              CcEgressColumn            which,
              CcCheckReport            *report)
{
  const char *name = config->columns[which];
  const CcDataverseColumn *column = cc_dataverse_table_find_column (table, name);
  g_autofree char *id = cc_check_column_id (table->logical_name, name);
  g_autofree char *label = cc_check_column_label (table->logical_name, name);
  g_autofree char *why = NULL;
  g_autofree char *steps = NULL;

  if (column == NULL)
    {
      why = g_strdup_printf (_("Column “%s” does not exist in Dynamics 365 table “%s” (the %s "
                               "events’ table)."),
                             name, table->logical_name, event_names[type]);
      steps = g_strdup_printf (_("Run “Prepare Dynamics 365”, which adds it, or fix "
                                 "target-columns.%s in the workflow’s configuration."),
                               column_names[which]);
    }
  else if (!column->valid_for_create || !column->valid_for_update)
    {
      why = g_strdup_printf (_("Column “%s” of Dynamics 365 table “%s” cannot be written."),
                             name, table->logical_name);
      steps = g_strdup_printf (_("Name a writable column in target-columns.%s."), column_names[which]);
    }
  else if (which == CC_EGRESS_COLUMN_EVENT_ID && g_strcmp0 (column->attribute_type, "String") != 0)
    {
      why = g_strdup_printf (_("Column “%s” of Dynamics 365 table “%s” holds the Campaign event id, "
                               "so it must be a text column with an alternate key."),
                             name, table->logical_name);
      steps = g_strdup_printf (_("Name a text column in target-columns.%s."), column_names[which]);
    }
  cc_check_report_schema (report, id, label, why, steps);
}

void
cc_egress_config_check_table (const CcEgressConfig    *config,
                              CcEgressEventType        type,
                              const CcDataverseTable  *table,
                              CcCheckReport           *report)
{
  const CcDataverseColumn *regarding = cc_dataverse_table_find_column (table, "regardingobjectid");
  g_autofree char *id = cc_check_column_id (table->logical_name, "regardingobjectid");
  g_autofree char *label = cc_check_column_label (table->logical_name, "regardingobjectid");

  for (guint i = 0; i < CC_EGRESS_N_COLUMNS; i++)
    if (*config->columns[i] != '\0')
      check_column (config, type, table, i, report);

  if (regarding != NULL && regarding->targets != NULL
      && g_strv_contains ((const char * const *) regarding->targets, "contact"))
    cc_check_report_ok (report, id, label, NULL);
  else
    {
      g_autofree char *why = g_strdup_printf (_("Dynamics 365 table “%s” cannot be linked to a contact: "
                                                "it has no “Regarding” lookup to contact."),
                                              table->logical_name);

      cc_check_report_missing (report, id, label, CC_ERROR_SCHEMA, why,
                               _("Use an activity table: run “Prepare Dynamics 365”, which creates "
                                 "them, or name activity tables in the workflow’s configuration."));
    }
}
