/* dv-schema.c — what the emulated tables are: contact,
 * new_membership and the four email-event activity tables, their columns
 * (types, lengths, options, lookups, alternate key) as the notes describe
 * them (§11, §12), the functions that add tables and columns (what a
 * metadata write does too), and the mapping of column types to OData and
 * metadata names.
 */
#include "config.h"

#include <string.h>

#include "dv-private.h"
#include "cc-sandbox-seed.h"

static const DvOption contact_state[] = { { 0, "Active" }, { 1, "Inactive" } };
static const DvOption contact_status[] = { { 1, "Active" }, { 2, "Inactive" } };
static const DvOption tiers[] = { { 1, "Bronze" }, { 2, "Silver" }, { 3, "Gold" } };
static const DvOption levels[] = { { 100000000, "Bronze" }, { 100000001, "Silver" }, { 100000002, "Gold" } };
static const DvOption activity_state[] = { { 0, "Open" }, { 1, "Completed" }, { 2, "Canceled" } };
static const DvOption activity_status[] = { { 1, "Open" }, { 2, "Completed" }, { 3, "Canceled" } };

#define OPTIONS(o) o, G_N_ELEMENTS (o)

static const DvColumnSpec contact_columns[] = {
  { "contactid", "ContactId", "Contact", DV_TYPE_UNIQUEIDENTIFIER, 0, DV_COLUMN_PK },
  { "firstname", "FirstName", "First Name", DV_TYPE_STRING, 50, 0, .required = DV_REQUIRED_RECOMMENDED },
  { "lastname", "LastName", "Last Name", DV_TYPE_STRING, 50, 0, .required = DV_REQUIRED_APPLICATION },
  { "fullname", "FullName", "Full Name", DV_TYPE_STRING, 160, DV_COLUMN_NAME | DV_COLUMN_READONLY },
  { "emailaddress1", "EMailAddress1", "Email", DV_TYPE_STRING, 100, 0 },
  { "birthdate", "BirthDate", "Birthday", DV_TYPE_DATE, 0, 0 },
  { "telephone1", "Telephone1", "Business Phone", DV_TYPE_STRING, 50, 0 },
  { "mobilephone", "MobilePhone", "Mobile Phone", DV_TYPE_STRING, 50, 0 },
  { "donotemail", "DoNotEMail", "Do not allow Emails", DV_TYPE_BOOLEAN, 0, 0 },
  { "donotbulkemail", "DoNotBulkEMail", "Do not allow Bulk Emails", DV_TYPE_BOOLEAN, 0, 0 },
  { "new_tier", "new_Tier", "Tier", DV_TYPE_PICKLIST, 0, DV_COLUMN_CUSTOM, NULL, OPTIONS (tiers) },
  { "statecode", "StateCode", "Status", DV_TYPE_STATE, 0, 0, NULL, OPTIONS (contact_state), .required = DV_REQUIRED_SYSTEM },
  { "statuscode", "StatusCode", "Status Reason", DV_TYPE_STATUS, 0, 0, NULL, OPTIONS (contact_status) },
  { "createdon", "CreatedOn", "Created On", DV_TYPE_DATETIME, 0, DV_COLUMN_READONLY },
  { "modifiedon", "ModifiedOn", "Modified On", DV_TYPE_DATETIME, 0, DV_COLUMN_READONLY },
  { "versionnumber", "VersionNumber", "Version Number", DV_TYPE_BIGINT, 0, DV_COLUMN_READONLY },
};

static const DvColumnSpec membership_columns[] = {
  { "new_membershipid", "new_membershipId", "Membership", DV_TYPE_UNIQUEIDENTIFIER, 0, DV_COLUMN_PK | DV_COLUMN_CUSTOM },
  { "new_name", "new_name", "Name", DV_TYPE_STRING, 100, DV_COLUMN_NAME | DV_COLUMN_CUSTOM,
    .required = DV_REQUIRED_APPLICATION },
  { "new_level", "new_Level", "Level", DV_TYPE_PICKLIST, 0, DV_COLUMN_CUSTOM, NULL, OPTIONS (levels) },
  { "new_startdate", "new_StartDate", "Start Date", DV_TYPE_DATE, 0, DV_COLUMN_CUSTOM },
  { "new_contactid", "new_ContactId", "Contact", DV_TYPE_LOOKUP, 0, DV_COLUMN_CUSTOM, "contact" },
  { "statecode", "statecode", "Status", DV_TYPE_STATE, 0, 0, NULL, OPTIONS (contact_state), .required = DV_REQUIRED_SYSTEM },
  { "statuscode", "statuscode", "Status Reason", DV_TYPE_STATUS, 0, 0, NULL, OPTIONS (contact_status) },
  { "createdon", "CreatedOn", "Created On", DV_TYPE_DATETIME, 0, DV_COLUMN_READONLY },
  { "modifiedon", "ModifiedOn", "Modified On", DV_TYPE_DATETIME, 0, DV_COLUMN_READONLY },
  { "versionnumber", "VersionNumber", "Version Number", DV_TYPE_BIGINT, 0, DV_COLUMN_READONLY },
};

/* The columns every activity table has (those of activitypointer)… */
static const DvColumnSpec activity_columns[] = {
  { "activityid", "ActivityId", "Activity", DV_TYPE_UNIQUEIDENTIFIER, 0, DV_COLUMN_PK },
  { "subject", "Subject", "Subject", DV_TYPE_STRING, 200, DV_COLUMN_NAME },
  { "regardingobjectid", "RegardingObjectId", "Regarding", DV_TYPE_LOOKUP, 0, 0, "contact" },
  { "statecode", "StateCode", "Activity Status", DV_TYPE_STATE, 0, 0, NULL, OPTIONS (activity_state), .required = DV_REQUIRED_SYSTEM },
  { "statuscode", "StatusCode", "Status Reason", DV_TYPE_STATUS, 0, 0, NULL, OPTIONS (activity_status) },
};

/* … those of every custom table besides its key and primary name … */
static const DvColumnSpec custom_columns[] = {
  { "statecode", "statecode", "Status", DV_TYPE_STATE, 0, 0, NULL, OPTIONS (contact_state), .required = DV_REQUIRED_SYSTEM },
  { "statuscode", "statuscode", "Status Reason", DV_TYPE_STATUS, 0, 0, NULL, OPTIONS (contact_status) },
};

/* … the audit stamps every table has … */
static const DvColumnSpec stamp_columns[] = {
  { "createdon", "CreatedOn", "Created On", DV_TYPE_DATETIME, 0, DV_COLUMN_READONLY },
  { "modifiedon", "ModifiedOn", "Modified On", DV_TYPE_DATETIME, 0, DV_COLUMN_READONLY },
  { "versionnumber", "VersionNumber", "Version Number", DV_TYPE_BIGINT, 0, DV_COLUMN_READONLY },
};

/* … and what Adobe's solution adds to its email-event activities. */
static const DvColumnSpec event_columns[] = {
  { "new_campaignname", "new_CampaignName", "Campaign Name", DV_TYPE_STRING, 200, DV_COLUMN_CUSTOM },
  { "new_deliveryname", "new_DeliveryName", "Delivery Name", DV_TYPE_STRING, 200, DV_COLUMN_CUSTOM },
  { "new_eventdate", "new_EventDate", "Event Date", DV_TYPE_DATETIME, 0, DV_COLUMN_CUSTOM },
  { "new_mirrorpageurl", "new_MirrorPageUrl", "Mirror Page URL", DV_TYPE_STRING, 500, DV_COLUMN_CUSTOM },
  { "new_trackingurl", "new_TrackingUrl", "Tracking URL", DV_TYPE_STRING, 500, DV_COLUMN_CUSTOM },
  { "new_campaigneventid", "new_CampaignEventId", "Campaign Event ID", DV_TYPE_STRING, 100, DV_COLUMN_CUSTOM },
};

/* Where solutions come from: the customization prefix of what they hold. */
static const DvColumnSpec publisher_columns[] = {
  { "publisherid", "PublisherId", "Publisher", DV_TYPE_UNIQUEIDENTIFIER, 0, DV_COLUMN_PK },
  { "friendlyname", "FriendlyName", "Display Name", DV_TYPE_STRING, 256, DV_COLUMN_NAME },
  { "uniquename", "UniqueName", "Name", DV_TYPE_STRING, 256, 0, .required = DV_REQUIRED_SYSTEM },
  { "customizationprefix", "CustomizationPrefix", "Prefix", DV_TYPE_STRING, 8, 0, .required = DV_REQUIRED_SYSTEM },
  { "customizationoptionvalueprefix", "CustomizationOptionValuePrefix", "Option Value Prefix",
    DV_TYPE_INTEGER, 0, 0, .required = DV_REQUIRED_SYSTEM },
  { "description", "Description", "Description", DV_TYPE_MEMO, 2000, 0 },
};

static const DvColumnSpec solution_columns[] = {
  { "solutionid", "SolutionId", "Solution", DV_TYPE_UNIQUEIDENTIFIER, 0, DV_COLUMN_PK },
  { "friendlyname", "FriendlyName", "Display Name", DV_TYPE_STRING, 256, DV_COLUMN_NAME },
  { "uniquename", "UniqueName", "Name", DV_TYPE_STRING, 65, 0, .required = DV_REQUIRED_SYSTEM },
  { "version", "Version", "Version", DV_TYPE_STRING, 256, 0, .required = DV_REQUIRED_SYSTEM },
  { "publisherid", "PublisherId", "Publisher", DV_TYPE_LOOKUP, 0, 0, "publisher", .required = DV_REQUIRED_SYSTEM },
  { "ismanaged", "IsManaged", "Package Type", DV_TYPE_BOOLEAN, 0, DV_COLUMN_READONLY },
  { "description", "Description", "Description", DV_TYPE_MEMO, 2000, 0 },
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
  g_ptr_array_unref (table->columns);
  g_hash_table_unref (table->columns_by_property);
  g_hash_table_unref (table->columns_by_navprop);
  g_sequence_free (table->order);
  /* The links live inside the rows, which the rows table frees. */
  g_queue_init (&table->by_version);
  g_ptr_array_unref (table->keys);
  g_hash_table_unref (table->rows);
  g_array_unref (table->tombstones);
  g_free (table);
}

JsonNode *
dv_column_default (DvColumn *column)
{
  if (column->type == DV_TYPE_BOOLEAN)
    return json_node_init_boolean (json_node_alloc (), FALSE);
  if ((column->type == DV_TYPE_STATE || column->type == DV_TYPE_STATUS) && column->n_options > 0)
    return json_node_init_int (json_node_alloc (), column->options[0].value);
  return json_node_new (JSON_NODE_NULL);
}

DvColumn *
dv_table_add_column (DvTable            *table,
                     const DvColumnSpec *spec)
{
  DvColumn *column = g_new0 (DvColumn, 1);
  g_autofree char *kind = g_strdup_printf ("attribute:%s.%s", table->logical_name, spec->name);
  GHashTableIter iter;
  gpointer row;

  column->logical_name = g_strdup (spec->name);
  column->schema_name = g_strdup (spec->schema);
  column->display_name = g_strdup (spec->display);
  column->metadata_id = cc_sandbox_seed_guid (table->server->options.seed, kind, table->columns->len);
  column->type = spec->type;
  column->max_length = spec->max_length;
  column->is_primary_id = (spec->flags & DV_COLUMN_PK) != 0;
  column->is_primary_name = (spec->flags & DV_COLUMN_NAME) != 0;
  column->is_custom = (spec->flags & DV_COLUMN_CUSTOM) != 0;
  column->valid_for_create = (spec->flags & DV_COLUMN_READONLY) == 0;
  column->valid_for_update = (spec->flags & (DV_COLUMN_READONLY | DV_COLUMN_PK)) == 0;
  column->required_level = column->is_primary_id ? DV_REQUIRED_SYSTEM : spec->required;
  column->options = spec->options;
  column->n_options = spec->n_options;
  if (spec->type == DV_TYPE_BOOLEAN)
    {
      gboolean opt_out = g_str_has_prefix (spec->name, "donot");

      /* The marketing flags are labelled by what they allow (notes §11). */
      column->true_label = opt_out ? "Do Not Allow" : "Yes";
      column->false_label = opt_out ? "Allow" : "No";
    }
  if (spec->type == DV_TYPE_LOOKUP)
    {
      column->property = g_strdup_printf ("_%s_value", spec->name);
      column->target = g_strdup (spec->target);
      column->navprop = table->is_activity
                        ? g_strdup_printf ("%s_%s_%s", spec->name, spec->target, table->logical_name)
                        : g_strdup (spec->name);
      g_hash_table_insert (table->columns_by_navprop, column->navprop, column);
    }
  else
    column->property = g_strdup (spec->name);

  if (column->is_primary_id && table->primary_id == NULL)
    table->primary_id = g_strdup (spec->name);
  if (column->is_primary_name && table->primary_name == NULL)
    table->primary_name = g_strdup (spec->name);

  /* Rows that exist already read the new column's default. */
  g_hash_table_iter_init (&iter, table->rows);
  while (g_hash_table_iter_next (&iter, NULL, &row))
    json_object_set_member (((DvRow *) row)->data, column->property, dv_column_default (column));

  g_ptr_array_add (table->columns, column);
  g_hash_table_insert (table->columns_by_property, column->property, column);
  return column;
}

DvTable *
dv_server_add_table (DvServer          *self,
                     const DvTableSpec *spec)
{
  DvTable *table = g_new0 (DvTable, 1);
  g_autofree char *kind = g_strdup_printf ("entity:%s", spec->logical_name);

  table->server = self;
  table->logical_name = g_strdup (spec->logical_name);
  table->schema_name = g_strdup (spec->schema_name);
  table->display_name = g_strdup (spec->display_name);
  table->entity_set = spec->entity_set ? g_strdup (spec->entity_set)
                                       : g_strconcat (spec->logical_name, "s", NULL);
  table->metadata_id = cc_sandbox_seed_guid (self->options.seed, kind, 0);
  table->is_custom = spec->is_custom;
  table->is_activity = spec->is_activity;
  table->change_tracking = TRUE;
  table->ownership = "UserOwned";
  table->customizable = TRUE;
  table->keys = g_ptr_array_new_with_free_func ((GDestroyNotify) dv_key_free);
  table->columns = g_ptr_array_new_with_free_func ((GDestroyNotify) column_free);
  table->columns_by_property = g_hash_table_new (g_str_hash, g_str_equal);
  table->columns_by_navprop = g_hash_table_new (g_str_hash, g_str_equal);
  table->rows = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, (GDestroyNotify) dv_row_free);
  table->order = g_sequence_new (NULL);
  g_queue_init (&table->by_version);
  table->tombstones = g_array_new (FALSE, FALSE, sizeof (DvTombstone));

  g_ptr_array_add (self->tables, table);
  g_hash_table_insert (self->tables_by_set, table->entity_set, table);
  g_hash_table_insert (self->tables_by_name, table->logical_name, table);
  return table;
}

static void
add_columns (DvTable            *table,
             const DvColumnSpec *columns,
             guint               n_columns)
{
  for (guint i = 0; i < n_columns; i++)
    dv_table_add_column (table, &columns[i]);
}

static DvTable *
add_seeded_table (DvServer           *self,
                  const DvTableSpec  *spec,
                  const DvColumnSpec *columns,
                  guint               n_columns)
{
  DvTable *table = dv_server_add_table (self, spec);

  add_columns (table, columns, n_columns);
  return table;
}

void
dv_table_add_system_columns (DvTable            *table,
                             const DvColumnSpec *primary_name)
{
  if (table->is_activity)
    {
      /* An activity's primary name is always Subject (Microsoft's
       * "Custom activities"). */
      add_columns (table, activity_columns, G_N_ELEMENTS (activity_columns));
    }
  else
    {
      g_autofree char *id = g_strconcat (table->logical_name, "id", NULL);
      g_autofree char *id_schema = g_strconcat (table->schema_name, "Id", NULL);
      DvColumnSpec key = { id, id_schema, table->display_name, DV_TYPE_UNIQUEIDENTIFIER, 0,
                           DV_COLUMN_PK | DV_COLUMN_CUSTOM };

      dv_table_add_column (table, &key);
      dv_table_add_column (table, primary_name);
      add_columns (table, custom_columns, G_N_ELEMENTS (custom_columns));
    }
  add_columns (table, stamp_columns, G_N_ELEMENTS (stamp_columns));
}

void
dv_server_remove_table (DvServer *self,
                        DvTable  *table)
{
  g_hash_table_remove (self->tables_by_set, table->entity_set);
  g_hash_table_remove (self->tables_by_name, table->logical_name);
  g_ptr_array_remove (self->tables, table);
}

static void
create_activity_tables (DvServer *self)
{
  static const char *const event_key_columns[] = { "new_campaigneventid", NULL };
  static const DvKeySpec event_key = { "new_campaigneventidkey", "new_CampaignEventIdKey",
                                       "Campaign Event ID", event_key_columns };

  for (guint i = 0; i < G_N_ELEMENTS (activity_tables); i++)
    {
      DvTableSpec spec = { activity_tables[i].logical, activity_tables[i].schema,
                           activity_tables[i].display, NULL, TRUE, TRUE };
      DvTable *table = dv_server_add_table (self, &spec);

      dv_table_add_system_columns (table, NULL);
      add_columns (table, event_columns, G_N_ELEMENTS (event_columns));
      /* Egress upserts events by this key (notes §7). */
      dv_table_add_key (table, &event_key);
    }
}

/* Solutions and publishers: owned by the organization, not change-tracked,
 * not customizable. */
static void
add_system_table (DvTable *table)
{
  table->change_tracking = FALSE;
  table->ownership = "OrganizationOwned";
  table->customizable = FALSE;
}

void
dv_tables_create (DvServer *self)
{
  static const DvTableSpec contact = { "contact", "Contact", "Contact", NULL, FALSE, FALSE };
  static const DvTableSpec membership = { "new_membership", "new_Membership", "Membership", NULL, TRUE, FALSE };
  static const DvTableSpec publisher = { "publisher", "Publisher", "Publisher", NULL, FALSE, FALSE };
  static const DvTableSpec solution = { "solution", "Solution", "Solution", NULL, FALSE, FALSE };

  self->tables = g_ptr_array_new_with_free_func ((GDestroyNotify) dv_table_free);
  self->tables_by_set = g_hash_table_new (g_str_hash, g_str_equal);
  self->tables_by_name = g_hash_table_new (g_str_hash, g_str_equal);

  add_seeded_table (self, &contact, contact_columns, G_N_ELEMENTS (contact_columns));
  add_seeded_table (self, &membership, membership_columns, G_N_ELEMENTS (membership_columns));
  create_activity_tables (self);
  add_system_table (add_seeded_table (self, &publisher, publisher_columns,
                                      G_N_ELEMENTS (publisher_columns)));
  add_system_table (add_seeded_table (self, &solution, solution_columns,
                                      G_N_ELEMENTS (solution_columns)));
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
    case DV_TYPE_INTEGER:
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
    case DV_TYPE_INTEGER:
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
    [DV_TYPE_INTEGER] = "Integer",
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
