/* cc-dataverse-tables.c — the emulated tables: their schema, their rows,
 * row versions (which drive ETags and change tracking), value validation,
 * and the undo log that makes $batch change sets atomic.
 */
#include "config.h"

#include <string.h>

#include "cc-dataverse-private.h"
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

static void
row_free (DvRow *row)
{
  g_free (row->id);
  json_object_unref (row->data);
  g_free (row);
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

static gint
compare_seq (gconstpointer a,
             gconstpointer b,
             gpointer      data)
{
  const DvRow *x = a, *y = b;

  return x->seq < y->seq ? -1 : x->seq > y->seq ? 1 : 0;
}

static DvTable *
add_table (CcDataverseServer *self,
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
  table->rows = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, (GDestroyNotify) row_free);
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
dv_tables_create (CcDataverseServer *self)
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

/* Seeded rows get deterministic timestamps in the past, one minute apart,
 * so that two sandboxes with one seed hold identical data. */
static char *
seed_stamp (guint index)
{
  g_autoptr(GDateTime) t = g_date_time_new_from_unix_utc (G_GINT64_CONSTANT (1735689600) + index * 60);

  return g_date_time_format (t, "%Y-%m-%dT%H:%M:%SZ");
}

void
dv_tables_seed (CcDataverseServer *self)
{
  DvTable *contacts = dv_server_table_by_name (self, "contact");
  DvTable *memberships = dv_server_table_by_name (self, "new_membership");

  for (guint i = 0; i < self->options.contacts; i++)
    {
      g_autoptr(JsonObject) row = cc_sandbox_seed_contact (self->options.seed, i);
      g_autofree char *id = g_strdup (json_object_get_string_member (row, "contactid"));
      g_autofree char *stamp = seed_stamp (i);

      json_object_set_string_member (row, "createdon", stamp);
      json_object_set_string_member (row, "modifiedon", stamp);
      dv_table_insert (contacts, id, row);
    }
  for (guint i = 0; i < self->options.memberships; i++)
    {
      g_autoptr(JsonObject) row = cc_sandbox_seed_membership (self->options.seed, i,
                                                              self->options.contacts);
      g_autofree char *id = g_strdup (json_object_get_string_member (row, "new_membershipid"));
      g_autofree char *stamp = seed_stamp (i);

      json_object_set_string_member (row, "createdon", stamp);
      json_object_set_string_member (row, "modifiedon", stamp);
      dv_table_insert (memberships, id, row);
    }
}

DvTable *
dv_server_table_by_set (CcDataverseServer *self,
                        const char        *entity_set)
{
  return g_hash_table_lookup (self->tables_by_set, entity_set);
}

DvTable *
dv_server_table_by_name (CcDataverseServer *self,
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

CcOdataType
dv_column_odata_type (DvColumn *column)
{
  switch (column->type)
    {
    case DV_TYPE_STRING:
    case DV_TYPE_MEMO:
      return CC_ODATA_TYPE_STRING;
    case DV_TYPE_UNIQUEIDENTIFIER:
    case DV_TYPE_LOOKUP:
      return CC_ODATA_TYPE_GUID;
    case DV_TYPE_BOOLEAN:
      return CC_ODATA_TYPE_BOOLEAN;
    case DV_TYPE_DATE:
      return CC_ODATA_TYPE_DATE;
    case DV_TYPE_DATETIME:
      return CC_ODATA_TYPE_DATETIME;
    case DV_TYPE_PICKLIST:
    case DV_TYPE_STATE:
    case DV_TYPE_STATUS:
    case DV_TYPE_BIGINT:
    default:
      return CC_ODATA_TYPE_NUMBER;
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

/* ---- values ------------------------------------------------------------- */

static void
wrong_type (DvTable    *table,
            DvColumn   *column,
            JsonNode   *in,
            DvResponse *resp)
{
  g_autofree char *literal = json_to_string (in, FALSE);

  dv_response_error (resp, SOUP_STATUS_BAD_REQUEST, "0x80048d19",
                     "Error identified in Payload provided by the user for Entity :'%s', For more "
                     "information on this error please follow this help link "
                     "https://go.microsoft.com/fwlink/?linkid=2195293  ----> InnerException : "
                     "Microsoft.OData.ODataException: Cannot convert the literal '%s' to the "
                     "expected type '%s'.",
                     table->entity_set, literal, dv_column_edm_type (column));
}

static gboolean
holds (JsonNode *node,
       GType     type)
{
  return JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == type;
}

gboolean
dv_column_convert (DvTable     *table,
                   DvColumn    *column,
                   JsonNode    *in,
                   JsonNode   **out,
                   DvResponse  *resp)
{
  if (JSON_NODE_HOLDS_NULL (in))
    {
      *out = json_node_new (JSON_NODE_NULL);
      return TRUE;
    }

  switch (column->type)
    {
    case DV_TYPE_STRING:
    case DV_TYPE_MEMO:
      if (!holds (in, G_TYPE_STRING))
        break;
      if (column->max_length > 0
          && (guint) g_utf8_strlen (json_node_get_string (in), -1) > column->max_length)
        {
          dv_response_error (resp, SOUP_STATUS_BAD_REQUEST, "0x80044331",
                             "A validation error occurred.  The length of the '%s' attribute of "
                             "the '%s' entity exceeded the maximum allowed length of '%u'.",
                             column->logical_name, table->logical_name, column->max_length);
          return FALSE;
        }
      *out = json_node_copy (in);
      return TRUE;

    case DV_TYPE_UNIQUEIDENTIFIER:
    case DV_TYPE_LOOKUP:
      if (!holds (in, G_TYPE_STRING) || !dv_is_guid (json_node_get_string (in)))
        break;
      {
        g_autofree char *lower = g_ascii_strdown (json_node_get_string (in), -1);

        *out = json_node_init_string (json_node_alloc (), lower);
      }
      return TRUE;

    case DV_TYPE_BOOLEAN:
      if (!holds (in, G_TYPE_BOOLEAN))
        break;
      *out = json_node_copy (in);
      return TRUE;

    case DV_TYPE_PICKLIST:
    case DV_TYPE_STATE:
    case DV_TYPE_STATUS:
      if (!holds (in, G_TYPE_INT64))
        break;
      if (dv_column_option_label (column, json_node_get_int (in)) == NULL)
        {
          GString *accepted = g_string_new (NULL);

          for (guint i = 0; i < column->n_options; i++)
            g_string_append_printf (accepted, "%s%d", i ? "," : "", column->options[i].value);
          /* INFER: the code Dataverse uses for an option outside the set. */
          dv_response_error (resp, SOUP_STATUS_BAD_REQUEST, "0x8004431a",
                             "A validation error occurred.  The value %" G_GINT64_FORMAT " of '%s' "
                             "on record of type '%s' is outside the valid range. Accepted Values: %s",
                             json_node_get_int (in), column->logical_name, table->logical_name,
                             accepted->str);
          g_string_free (accepted, TRUE);
          return FALSE;
        }
      *out = json_node_copy (in);
      return TRUE;

    case DV_TYPE_DATE:
      {
        const char *text = holds (in, G_TYPE_STRING) ? json_node_get_string (in) : NULL;

        if (text == NULL || strlen (text) != 10 || text[4] != '-' || text[7] != '-'
            || !g_date_valid_dmy (g_ascii_strtoull (text + 8, NULL, 10),
                                  g_ascii_strtoull (text + 5, NULL, 10),
                                  g_ascii_strtoull (text, NULL, 10)))
          break;
        *out = json_node_copy (in);
        return TRUE;
      }

    case DV_TYPE_DATETIME:
      {
        g_autoptr(GDateTime) parsed = NULL;
        g_autoptr(GDateTime) utc = NULL;
        g_autofree char *text = NULL;

        if (!holds (in, G_TYPE_STRING)
            || (parsed = g_date_time_new_from_iso8601 (json_node_get_string (in), NULL)) == NULL)
          break;
        utc = g_date_time_to_utc (parsed);
        text = g_date_time_format (utc, "%Y-%m-%dT%H:%M:%SZ");
        *out = json_node_init_string (json_node_alloc (), text);
        return TRUE;
      }

    case DV_TYPE_BIGINT:
      if (!holds (in, G_TYPE_INT64))
        break;
      *out = json_node_copy (in);
      return TRUE;

    default:
      break;
    }

  wrong_type (table, column, in, resp);
  return FALSE;
}

char *
dv_row_etag (DvRow *row)
{
  return g_strdup_printf ("W/\"%" G_GINT64_FORMAT "\"", row->version);
}

/* ---- rows --------------------------------------------------------------- */

static char *
alt_key_of (DvTable *table,
            DvRow   *row)
{
  JsonNode *node;

  if (table->alt_key == NULL)
    return NULL;
  node = json_object_get_member (row->data, table->alt_key);
  if (node == NULL || !holds (node, G_TYPE_STRING))
    return NULL;
  /* Alternate keys live in a case-insensitive index, as in SQL Server. */
  return g_utf8_casefold (json_node_get_string (node), -1);
}

DvRow *
dv_table_row (DvTable    *table,
              const char *id)
{
  g_autofree char *lower = NULL;
  DvRow *row = g_hash_table_lookup (table->rows, id);

  if (row != NULL)
    return row;
  lower = g_ascii_strdown (id, -1);
  return g_hash_table_lookup (table->rows, lower);
}

DvRow *
dv_table_row_by_alt_key (DvTable    *table,
                         const char *value)
{
  g_autofree char *folded = g_utf8_casefold (value, -1);

  return g_hash_table_lookup (table->alt_index, folded);
}

/* Puts @row into every index of @table. */
static void
link_row (DvTable *table,
          DvRow   *row)
{
  char *key = alt_key_of (table, row);
  GList *l;

  g_hash_table_insert (table->rows, row->id, row);

  if (g_sequence_is_empty (table->order)
      || ((DvRow *) g_sequence_get (g_sequence_iter_prev (g_sequence_get_end_iter (table->order))))->seq < row->seq)
    row->order_iter = g_sequence_append (table->order, row);
  else
    row->order_iter = g_sequence_insert_sorted (table->order, row, compare_seq, NULL);

  /* Versions only grow, so the place is the tail except on a rollback. */
  row->version_link.data = row;
  row->version_link.prev = row->version_link.next = NULL;
  for (l = table->by_version.tail; l != NULL; l = l->prev)
    if (((DvRow *) l->data)->version < row->version)
      break;
  if (l == NULL)
    g_queue_push_head_link (&table->by_version, &row->version_link);
  else
    g_queue_insert_after_link (&table->by_version, l, &row->version_link);

  if (key != NULL)
    g_hash_table_insert (table->alt_index, key, row);
}

/* Takes @row out of every index; the caller owns it afterwards. */
static void
unlink_row (DvTable *table,
            DvRow   *row)
{
  g_autofree char *key = alt_key_of (table, row);

  if (key != NULL && g_hash_table_lookup (table->alt_index, key) == row)
    g_hash_table_remove (table->alt_index, key);
  g_sequence_remove (row->order_iter);
  row->order_iter = NULL;
  g_queue_unlink (&table->by_version, &row->version_link);
  g_hash_table_steal (table->rows, row->id);
}

static DvRow *
row_copy (DvRow *row)
{
  DvRow *copy = g_new0 (DvRow, 1);
  JsonObjectIter iter;
  const char *name;
  JsonNode *node;

  copy->id = g_strdup (row->id);
  copy->version = row->version;
  copy->seq = row->seq;
  copy->data = json_object_new ();
  json_object_iter_init (&iter, row->data);
  while (json_object_iter_next (&iter, &name, &node))
    json_object_set_member (copy->data, name, json_node_copy (node));
  return copy;
}

static void
compose_fullname (DvTable *table,
                  DvRow   *row)
{
  g_autofree char *fullname = NULL;

  if (dv_table_column (table, "fullname") == NULL)
    return;
  fullname = cc_sandbox_seed_compose_fullname (
      json_object_get_string_member_with_default (row->data, "firstname", NULL),
      json_object_get_string_member_with_default (row->data, "lastname", NULL));
  json_object_set_string_member (row->data, "fullname", fullname);
}

static void
stamp_version (DvTable *table,
               DvRow   *row)
{
  row->version = ++table->server->version;
  if (dv_table_column (table, "versionnumber") != NULL)
    json_object_set_int_member (row->data, "versionnumber", row->version);
}

DvRow *
dv_table_insert (DvTable    *table,
                 const char *id,
                 JsonObject *values)
{
  DvRow *row = g_new0 (DvRow, 1);
  g_autofree char *now = dv_now_iso ();

  row->id = id ? g_ascii_strdown (id, -1) : g_uuid_string_random ();
  row->seq = table->server->next_seq++;
  row->data = json_object_new ();

  for (guint i = 0; i < table->columns->len; i++)
    {
      DvColumn *column = g_ptr_array_index (table->columns, i);
      JsonNode *given = json_object_get_member (values, column->property);

      if (given != NULL)
        json_object_set_member (row->data, column->property, json_node_copy (given));
      else if (column->type == DV_TYPE_BOOLEAN)
        json_object_set_boolean_member (row->data, column->property, FALSE);
      else if ((column->type == DV_TYPE_STATE || column->type == DV_TYPE_STATUS) && column->n_options > 0)
        json_object_set_int_member (row->data, column->property, column->options[0].value);
      else
        json_object_set_null_member (row->data, column->property);
    }
  json_object_set_string_member (row->data, table->primary_id, row->id);
  for (const char *const *c = (const char *const[]) { "createdon", "modifiedon", NULL }; *c; c++)
    if (dv_table_column (table, *c) != NULL
        && json_object_get_string_member_with_default (row->data, *c, NULL) == NULL)
      json_object_set_string_member (row->data, *c, now);
  compose_fullname (table, row);
  stamp_version (table, row);

  if (table->server->undo != NULL)
    dv_undo_record (table->server->undo, table, row->id, NULL);
  link_row (table, row);
  return row;
}

void
dv_table_update (DvTable    *table,
                 DvRow      *row,
                 JsonObject *changes)
{
  JsonObjectIter iter;
  const char *name;
  JsonNode *node;
  g_autofree char *now = dv_now_iso ();

  if (table->server->undo != NULL)
    dv_undo_record (table->server->undo, table, row->id, row_copy (row));

  unlink_row (table, row);
  json_object_iter_init (&iter, changes);
  while (json_object_iter_next (&iter, &name, &node))
    if (dv_table_column (table, name) != NULL)
      json_object_set_member (row->data, name, json_node_copy (node));
  if (json_object_has_member (changes, "firstname") || json_object_has_member (changes, "lastname"))
    compose_fullname (table, row);
  /* Only the admin API may back-date modifiedon, as an import would. */
  if (dv_table_column (table, "modifiedon") != NULL && !json_object_has_member (changes, "modifiedon"))
    json_object_set_string_member (row->data, "modifiedon", now);
  stamp_version (table, row);
  link_row (table, row);
}

void
dv_table_delete (DvTable *table,
                 DvRow   *row)
{
  DvTombstone tomb = { 0, };

  if (table->server->undo != NULL)
    dv_undo_record (table->server->undo, table, row->id, row_copy (row));

  unlink_row (table, row);
  tomb.version = ++table->server->version;
  g_strlcpy (tomb.id, row->id, sizeof tomb.id);
  g_array_append_val (table->tombstones, tomb);
  row_free (row);
}

gboolean
dv_table_remove_column (DvTable    *table,
                        const char *name)
{
  DvColumn *column = dv_table_column (table, name);
  GHashTableIter iter;
  gpointer value;

  if (column == NULL)
    column = dv_table_column_by_name (table, name);
  if (column == NULL || column->is_primary_id)
    return FALSE;

  g_hash_table_iter_init (&iter, table->rows);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    json_object_remove_member (((DvRow *) value)->data, column->property);
  if (table->alt_key != NULL && g_str_equal (table->alt_key, column->property))
    {
      g_clear_pointer (&table->alt_key, g_free);
      g_hash_table_remove_all (table->alt_index);
    }
  g_hash_table_remove (table->columns_by_property, column->property);
  if (column->navprop != NULL)
    g_hash_table_remove (table->columns_by_navprop, column->navprop);
  g_ptr_array_remove (table->columns, column);
  return TRUE;
}

/* ---- undo log ----------------------------------------------------------- */

typedef struct
{
  DvTable *table;
  char    *id;
  DvRow   *before;   /* NULL when the change created the row */
} UndoEntry;

struct _DvUndoLog
{
  GPtrArray *entries;
  gint64     version;
  guint64    next_seq;
  GArray    *tombstone_lengths;   /* guint per table, in server order */
};

static void
undo_entry_free (UndoEntry *entry)
{
  g_free (entry->id);
  if (entry->before != NULL)
    row_free (entry->before);
  g_free (entry);
}

DvUndoLog *
dv_undo_begin (CcDataverseServer *self)
{
  DvUndoLog *log = g_new0 (DvUndoLog, 1);

  log->entries = g_ptr_array_new_with_free_func ((GDestroyNotify) undo_entry_free);
  log->version = self->version;
  log->next_seq = self->next_seq;
  log->tombstone_lengths = g_array_new (FALSE, FALSE, sizeof (guint));
  for (guint i = 0; i < self->tables->len; i++)
    {
      DvTable *table = g_ptr_array_index (self->tables, i);

      g_array_append_val (log->tombstone_lengths, table->tombstones->len);
    }
  return log;
}

void
dv_undo_record (DvUndoLog  *log,
                DvTable    *table,
                const char *id,
                DvRow      *before)
{
  UndoEntry *entry = g_new0 (UndoEntry, 1);

  entry->table = table;
  entry->id = g_strdup (id);
  entry->before = before;
  g_ptr_array_add (log->entries, entry);
}

void
dv_undo_rollback (CcDataverseServer *self,
                  DvUndoLog         *log)
{
  for (guint i = log->entries->len; i > 0; i--)
    {
      UndoEntry *entry = g_ptr_array_index (log->entries, i - 1);
      DvRow *current = g_hash_table_lookup (entry->table->rows, entry->id);

      if (current != NULL)
        {
          unlink_row (entry->table, current);
          row_free (current);
        }
      if (entry->before != NULL)
        link_row (entry->table, g_steal_pointer (&entry->before));
    }
  for (guint i = 0; i < self->tables->len; i++)
    {
      DvTable *table = g_ptr_array_index (self->tables, i);

      g_array_set_size (table->tombstones, g_array_index (log->tombstone_lengths, guint, i));
    }
  /* Nothing outside the change set saw these versions: hand them out
   * again so that a rolled-back change set leaves no trace. */
  self->version = log->version;
  self->next_seq = log->next_seq;
}

void
dv_undo_free (DvUndoLog *log)
{
  if (log == NULL)
    return;
  g_ptr_array_unref (log->entries);
  g_array_unref (log->tombstone_lengths);
  g_free (log);
}
