/* dv-schema.c — what the emulated tables are: contact,
 * new_membership and the four email-event activity tables, their columns
 * (types, lengths, options, lookups, alternate key) as the notes describe
 * them (§11, §12), and the mapping of column types to OData and metadata
 * names.
 */
#include "config.h"

#include <string.h>

#include "dv-private.h"
#include "cc-sandbox-seed.h"

enum
{
  COL_PK          = 1 << 0,
  COL_NAME        = 1 << 1,  /* PrimaryNameAttribute */
  COL_READONLY    = 1 << 2,  /* system-set */
  COL_CUSTOM      = 1 << 3,
};

typedef struct
{
  const char     *name;
  const char     *schema;
  const char     *display;
  DvType          type;
  guint           max_length;
  guint           flags;
  const char     *target;
  const DvOption *options;
  guint           n_options;
} ColumnDef;

static const DvOption contact_state[] = { { 0, "Active" }, { 1, "Inactive" } };
static const DvOption contact_status[] = { { 1, "Active" }, { 2, "Inactive" } };
static const DvOption tiers[] = { { 1, "Bronze" }, { 2, "Silver" }, { 3, "Gold" } };
static const DvOption levels[] = { { 100000000, "Bronze" }, { 100000001, "Silver" }, { 100000002, "Gold" } };
static const DvOption activity_state[] = { { 0, "Open" }, { 1, "Completed" }, { 2, "Canceled" } };
static const DvOption activity_status[] = { { 1, "Open" }, { 2, "Completed" }, { 3, "Canceled" } };

#define OPTIONS(o) o, G_N_ELEMENTS (o)

static const ColumnDef contact_columns[] = {
  { "contactid", "ContactId", "Contact", DV_TYPE_UNIQUEIDENTIFIER, 0, COL_PK },
  { "firstname", "FirstName", "First Name", DV_TYPE_STRING, 50, 0 },
  { "lastname", "LastName", "Last Name", DV_TYPE_STRING, 50, 0 },
  { "fullname", "FullName", "Full Name", DV_TYPE_STRING, 160, COL_NAME | COL_READONLY },
  { "emailaddress1", "EMailAddress1", "Email", DV_TYPE_STRING, 100, 0 },
  { "birthdate", "BirthDate", "Birthday", DV_TYPE_DATE, 0, 0 },
  { "telephone1", "Telephone1", "Business Phone", DV_TYPE_STRING, 50, 0 },
  { "mobilephone", "MobilePhone", "Mobile Phone", DV_TYPE_STRING, 50, 0 },
  { "donotemail", "DoNotEMail", "Do not allow Emails", DV_TYPE_BOOLEAN, 0, 0 },
  { "donotbulkemail", "DoNotBulkEMail", "Do not allow Bulk Emails", DV_TYPE_BOOLEAN, 0, 0 },
  { "new_tier", "new_Tier", "Tier", DV_TYPE_PICKLIST, 0, COL_CUSTOM, NULL, OPTIONS (tiers) },
  { "statecode", "StateCode", "Status", DV_TYPE_STATE, 0, 0, NULL, OPTIONS (contact_state) },
  { "statuscode", "StatusCode", "Status Reason", DV_TYPE_STATUS, 0, 0, NULL, OPTIONS (contact_status) },
  { "createdon", "CreatedOn", "Created On", DV_TYPE_DATETIME, 0, COL_READONLY },
  { "modifiedon", "ModifiedOn", "Modified On", DV_TYPE_DATETIME, 0, COL_READONLY },
  { "versionnumber", "VersionNumber", "Version Number", DV_TYPE_BIGINT, 0, COL_READONLY },
};

static const ColumnDef membership_columns[] = {
  { "new_membershipid", "new_membershipId", "Membership", DV_TYPE_UNIQUEIDENTIFIER, 0, COL_PK | COL_CUSTOM },
  { "new_name", "new_name", "Name", DV_TYPE_STRING, 100, COL_NAME | COL_CUSTOM },
  { "new_level", "new_Level", "Level", DV_TYPE_PICKLIST, 0, COL_CUSTOM, NULL, OPTIONS (levels) },
  { "new_startdate", "new_StartDate", "Start Date", DV_TYPE_DATE, 0, COL_CUSTOM },
  { "new_contactid", "new_ContactId", "Contact", DV_TYPE_LOOKUP, 0, COL_CUSTOM, "contact" },
  { "statecode", "statecode", "Status", DV_TYPE_STATE, 0, 0, NULL, OPTIONS (contact_state) },
  { "statuscode", "statuscode", "Status Reason", DV_TYPE_STATUS, 0, 0, NULL, OPTIONS (contact_status) },
  { "createdon", "CreatedOn", "Created On", DV_TYPE_DATETIME, 0, COL_READONLY },
  { "modifiedon", "ModifiedOn", "Modified On", DV_TYPE_DATETIME, 0, COL_READONLY },
  { "versionnumber", "VersionNumber", "Version Number", DV_TYPE_BIGINT, 0, COL_READONLY },
};

static const ColumnDef activity_columns[] = {
  { "activityid", "ActivityId", "Activity", DV_TYPE_UNIQUEIDENTIFIER, 0, COL_PK },
  { "subject", "Subject", "Subject", DV_TYPE_STRING, 200, COL_NAME },
  { "regardingobjectid", "RegardingObjectId", "Regarding", DV_TYPE_LOOKUP, 0, 0, "contact" },
  { "new_campaignname", "new_CampaignName", "Campaign Name", DV_TYPE_STRING, 200, COL_CUSTOM },
  { "new_deliveryname", "new_DeliveryName", "Delivery Name", DV_TYPE_STRING, 200, COL_CUSTOM },
  { "new_eventdate", "new_EventDate", "Event Date", DV_TYPE_DATETIME, 0, COL_CUSTOM },
  { "new_mirrorpageurl", "new_MirrorPageUrl", "Mirror Page URL", DV_TYPE_STRING, 500, COL_CUSTOM },
  { "new_trackingurl", "new_TrackingUrl", "Tracking URL", DV_TYPE_STRING, 500, COL_CUSTOM },
  { "new_campaigneventid", "new_CampaignEventId", "Campaign Event ID", DV_TYPE_STRING, 100, COL_CUSTOM },
  { "statecode", "StateCode", "Activity Status", DV_TYPE_STATE, 0, 0, NULL, OPTIONS (activity_state) },
  { "statuscode", "StatusCode", "Status Reason", DV_TYPE_STATUS, 0, 0, NULL, OPTIONS (activity_status) },
  { "createdon", "CreatedOn", "Created On", DV_TYPE_DATETIME, 0, COL_READONLY },
  { "modifiedon", "ModifiedOn", "Modified On", DV_TYPE_DATETIME, 0, COL_READONLY },
  { "versionnumber", "VersionNumber", "Version Number", DV_TYPE_BIGINT, 0, COL_READONLY },
};

static const struct
{
  const char *logical;
  const char *schema;
  const char *display;
} activity_tables[] = {
  { "new_emailsend", "new_EmailSend", "Adobe Campaign Email Send" },
  { "new_emailopen", "new_EmailOpen", "Adobe Campaign Email Open" },
  { "new_emailclick", "new_EmailClick", "Adobe Campaign Email URL Click" },
  { "new_emailbounce", "new_EmailBounce", "Adobe Campaign Email Bounce" },
};

/* ---- schema ------------------------------------------------------------- */

static void
column_free (DvColumn *column)
{
  g_free (column->logical_name);
  g_free (column->property);
  g_free (column->schema_name);
  g_free (column->display_name);
  g_free (column->metadata_id);
  g_free (column->target);
  g_free (column->navprop);
  g_free (column);
}

void
dv_table_free (DvTable *table)
{
  g_free (table->logical_name);
  g_free (table->schema_name);
  g_free (table->entity_set);
  g_free (table->primary_id);
  g_free (table->primary_name);
  g_free (table->display_name);
  g_free (table->metadata_id);
  g_free (table->alt_key);
  g_ptr_array_unref (table->columns);
  g_hash_table_unref (table->columns_by_property);
  g_hash_table_unref (table->columns_by_navprop);
  g_sequence_free (table->order);
  /* The links live inside the rows, which the rows table frees. */
  g_queue_init (&table->by_version);
  g_hash_table_unref (table->alt_index);
  g_hash_table_unref (table->rows);
  g_array_unref (table->tombstones);
  g_free (table);
}

static void
add_column (DvTable         *table,
            const ColumnDef *def,
            guint            index)
{
  DvColumn *column = g_new0 (DvColumn, 1);
  g_autofree char *kind = g_strdup_printf ("attribute:%s.%s", table->logical_name, def->name);

  column->logical_name = g_strdup (def->name);
  column->schema_name = g_strdup (def->schema);
  column->display_name = g_strdup (def->display);
  column->metadata_id = cc_sandbox_seed_guid (table->server->options.seed, kind, index);
  column->type = def->type;
  column->max_length = def->max_length;
  column->is_primary_id = (def->flags & COL_PK) != 0;
  column->is_primary_name = (def->flags & COL_NAME) != 0;
  column->is_custom = (def->flags & COL_CUSTOM) != 0;
  column->valid_for_create = (def->flags & COL_READONLY) == 0;
  column->valid_for_update = (def->flags & (COL_READONLY | COL_PK)) == 0;
  column->options = def->options;
  column->n_options = def->n_options;
  if (def->type == DV_TYPE_BOOLEAN)
    {
      gboolean opt_out = g_str_has_prefix (def->name, "donot");

      /* The marketing flags are labelled by what they allow (notes §11). */
      column->true_label = opt_out ? "Do Not Allow" : "Yes";
      column->false_label = opt_out ? "Allow" : "No";
    }
  if (def->type == DV_TYPE_LOOKUP)
    {
      column->property = g_strdup_printf ("_%s_value", def->name);
      column->target = g_strdup (def->target);
      column->navprop = table->is_activity
                        ? g_strdup_printf ("%s_%s_%s", def->name, def->target, table->logical_name)
                        : g_strdup (def->name);
      g_hash_table_insert (table->columns_by_navprop, column->navprop, column);
    }
  else
    column->property = g_strdup (def->name);

  g_ptr_array_add (table->columns, column);
  g_hash_table_insert (table->columns_by_property, column->property, column);
}

static DvTable *
add_table (DvServer *self,
           const char        *logical,
           const char        *schema,
           const char        *display,
           gboolean           is_custom,
           gboolean           is_activity,
           const char        *alt_key,
           const ColumnDef   *defs,
           guint              n_defs)
{
  DvTable *table = g_new0 (DvTable, 1);
  g_autofree char *kind = g_strdup_printf ("entity:%s", logical);

  table->server = self;
  table->logical_name = g_strdup (logical);
  table->schema_name = g_strdup (schema);
  table->display_name = g_strdup (display);
  table->entity_set = g_strconcat (logical, "s", NULL);
  table->metadata_id = cc_sandbox_seed_guid (self->options.seed, kind, 0);
  table->is_custom = is_custom;
  table->is_activity = is_activity;
  table->change_tracking = TRUE;
  table->alt_key = g_strdup (alt_key);
  table->columns = g_ptr_array_new_with_free_func ((GDestroyNotify) column_free);
  table->columns_by_property = g_hash_table_new (g_str_hash, g_str_equal);
  table->columns_by_navprop = g_hash_table_new (g_str_hash, g_str_equal);
  table->rows = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, (GDestroyNotify) dv_row_free);
  table->order = g_sequence_new (NULL);
  g_queue_init (&table->by_version);
  table->tombstones = g_array_new (FALSE, FALSE, sizeof (DvTombstone));
  table->alt_index = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  for (guint i = 0; i < n_defs; i++)
    {
      add_column (table, &defs[i], i);
      if (defs[i].flags & COL_PK)
        table->primary_id = g_strdup (defs[i].name);
      if (defs[i].flags & COL_NAME)
        table->primary_name = g_strdup (defs[i].name);
    }

  g_ptr_array_add (self->tables, table);
  g_hash_table_insert (self->tables_by_set, table->entity_set, table);
  g_hash_table_insert (self->tables_by_name, table->logical_name, table);
  return table;
}

void
dv_tables_create (DvServer *self)
{
  self->tables = g_ptr_array_new_with_free_func ((GDestroyNotify) dv_table_free);
  self->tables_by_set = g_hash_table_new (g_str_hash, g_str_equal);
  self->tables_by_name = g_hash_table_new (g_str_hash, g_str_equal);

  add_table (self, "contact", "Contact", "Contact", FALSE, FALSE, NULL,
             contact_columns, G_N_ELEMENTS (contact_columns));
  add_table (self, "new_membership", "new_Membership", "Membership", TRUE, FALSE, NULL,
             membership_columns, G_N_ELEMENTS (membership_columns));
  for (guint i = 0; i < G_N_ELEMENTS (activity_tables); i++)
    add_table (self, activity_tables[i].logical, activity_tables[i].schema,
               activity_tables[i].display, TRUE, TRUE, "new_campaigneventid",
               activity_columns, G_N_ELEMENTS (activity_columns));
}

DvTable *
dv_server_table_by_set (DvServer *self,
                        const char        *entity_set)
{
  return g_hash_table_lookup (self->tables_by_set, entity_set);
}

DvTable *
dv_server_table_by_name (DvServer *self,
                         const char        *logical_name)
{
  return g_hash_table_lookup (self->tables_by_name, logical_name);
}

DvColumn *
dv_table_column (DvTable    *table,
                 const char *property)
{
  return g_hash_table_lookup (table->columns_by_property, property);
}

DvColumn *
dv_table_column_by_name (DvTable    *table,
                         const char *logical_name)
{
  for (guint i = 0; i < table->columns->len; i++)
    {
      DvColumn *column = g_ptr_array_index (table->columns, i);

      if (g_str_equal (column->logical_name, logical_name))
        return column;
    }
  return NULL;
}

DvOdataType
dv_column_odata_type (DvColumn *column)
{
  switch (column->type)
    {
    case DV_TYPE_STRING:
    case DV_TYPE_MEMO:
      return DV_ODATA_TYPE_STRING;
    case DV_TYPE_UNIQUEIDENTIFIER:
    case DV_TYPE_LOOKUP:
      return DV_ODATA_TYPE_GUID;
    case DV_TYPE_BOOLEAN:
      return DV_ODATA_TYPE_BOOLEAN;
    case DV_TYPE_DATE:
      return DV_ODATA_TYPE_DATE;
    case DV_TYPE_DATETIME:
      return DV_ODATA_TYPE_DATETIME;
    case DV_TYPE_PICKLIST:
    case DV_TYPE_STATE:
    case DV_TYPE_STATUS:
    case DV_TYPE_BIGINT:
    default:
      return DV_ODATA_TYPE_NUMBER;
    }
}

const char *
dv_column_edm_type (DvColumn *column)
{
  switch (column->type)
    {
    case DV_TYPE_STRING:
    case DV_TYPE_MEMO:
      return "Edm.String";
    case DV_TYPE_UNIQUEIDENTIFIER:
    case DV_TYPE_LOOKUP:
      return "Edm.Guid";
    case DV_TYPE_BOOLEAN:
      return "Edm.Boolean";
    case DV_TYPE_DATE:
      return "Edm.Date";
    case DV_TYPE_DATETIME:
      return "Edm.DateTimeOffset";
    case DV_TYPE_BIGINT:
      return "Edm.Int64";
    case DV_TYPE_PICKLIST:
    case DV_TYPE_STATE:
    case DV_TYPE_STATUS:
    default:
      return "Edm.Int32";
    }
}

const char *
dv_column_attribute_type (DvColumn *column)
{
  static const char *names[] = {
    [DV_TYPE_STRING] = "String",
    [DV_TYPE_MEMO] = "Memo",
    [DV_TYPE_UNIQUEIDENTIFIER] = "Uniqueidentifier",
    [DV_TYPE_BOOLEAN] = "Boolean",
    [DV_TYPE_PICKLIST] = "Picklist",
    [DV_TYPE_STATE] = "State",
    [DV_TYPE_STATUS] = "Status",
    [DV_TYPE_DATE] = "DateTime",
    [DV_TYPE_DATETIME] = "DateTime",
    [DV_TYPE_LOOKUP] = "Lookup",
    [DV_TYPE_BIGINT] = "BigInt",
  };
  return names[column->type];
}

const char *
dv_column_option_label (DvColumn *column,
                        gint64    value)
{
  for (guint i = 0; i < column->n_options; i++)
    if (column->options[i].value == value)
      return column->options[i].label;
  return NULL;
}
