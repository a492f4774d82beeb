/* dv-tables.c — the rows of the emulated tables: seeding, row
 * versions (which drive ETags and change tracking), the indexes (by id,
 * creation order, version, alternate key), value validation, and the undo
 * log that makes $batch change sets atomic.
 */
#include "config.h"

#include <string.h>

#include "dv-private.h"
#include "cc-sandbox-seed.h"

/* Seeded rows get deterministic timestamps in the past, one minute apart,
 * so that two sandboxes with one seed hold identical data. */
static char *
seed_stamp (guint index)
{
  g_autoptr(GDateTime) t = g_date_time_new_from_unix_utc (G_GINT64_CONSTANT (1735689600) + index * 60);

  return g_date_time_format (t, "%Y-%m-%dT%H:%M:%SZ");
}

/* What every environment has: the default publisher (prefix "new") and
 * the Default solution it publishes. */
static void
seed_solutions (DvServer *self)
{
  DvTable *publishers = dv_server_table_by_name (self, "publisher");
  DvTable *solutions = dv_server_table_by_name (self, "solution");
  g_autofree char *publisher_id = cc_sandbox_seed_guid (self->options.seed, "publisher:default", 0);
  g_autofree char *solution_id = cc_sandbox_seed_guid (self->options.seed, "solution:default", 0);
  g_autoptr(JsonObject) publisher = json_object_new ();
  g_autoptr(JsonObject) solution = json_object_new ();

  json_object_set_string_member (publisher, "uniquename", "DefaultPublishersandbox");
  json_object_set_string_member (publisher, "friendlyname", "Default Publisher for sandbox");
  json_object_set_string_member (publisher, "customizationprefix", "new");
  json_object_set_int_member (publisher, "customizationoptionvalueprefix", 10000);
  dv_table_insert (publishers, publisher_id, publisher);

  json_object_set_string_member (solution, "uniquename", "Default");
  json_object_set_string_member (solution, "friendlyname", "Default Solution");
  json_object_set_string_member (solution, "version", "1.0");
  json_object_set_string_member (solution, "_publisherid_value", publisher_id);
  json_object_set_boolean_member (solution, "ismanaged", FALSE);
  dv_table_insert (solutions, solution_id, solution);
}

void
dv_tables_seed (DvServer *self)
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
  seed_solutions (self);
}

void
dv_row_free (DvRow *row)
{
  g_free (row->id);
  json_object_unref (row->data);
  g_free (row);
}

gint
dv_row_compare_seq (gconstpointer a,
                    gconstpointer b,
                    gpointer      data)
{
  const DvRow *x = a, *y = b;

  return x->seq < y->seq ? -1 : x->seq > y->seq ? 1 : 0;
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

/* What converting a value came to. */
typedef enum
{
  CONVERTED,
  WRONG_TYPE,   /* not a value of the column's type: the caller says so */
  REFUSED,      /* of the type but not valid: the error is set */
} Conversion;

/* Text, up to the column's maximum length. */
static Conversion
convert_text (DvTable     *table,
              DvColumn    *column,
              JsonNode    *in,
              JsonNode   **out,
              DvResponse  *resp)
{
  if (!holds (in, G_TYPE_STRING))
    return WRONG_TYPE;
  if (column->max_length > 0
      && (guint) g_utf8_strlen (json_node_get_string (in), -1) > column->max_length)
    {
      dv_response_error (resp, SOUP_STATUS_BAD_REQUEST, "0x80044331",
                         "A validation error occurred.  The length of the '%s' attribute of "
                         "the '%s' entity exceeded the maximum allowed length of '%u'.",
                         column->logical_name, table->logical_name, column->max_length);
      return REFUSED;
    }
  *out = json_node_copy (in);
  return CONVERTED;
}

/* A GUID, kept in lower case. */
static Conversion
convert_guid (JsonNode  *in,
              JsonNode **out)
{
  g_autofree char *lower = NULL;

  if (!holds (in, G_TYPE_STRING) || !dv_is_guid (json_node_get_string (in)))
    return WRONG_TYPE;
  lower = g_ascii_strdown (json_node_get_string (in), -1);
  *out = json_node_init_string (json_node_alloc (), lower);
  return CONVERTED;
}

/* One of the column's options. */
static Conversion
convert_option (DvTable     *table,
                DvColumn    *column,
                JsonNode    *in,
                JsonNode   **out,
                DvResponse  *resp)
{
  g_autoptr(GString) accepted = NULL;

  if (!holds (in, G_TYPE_INT64))
    return WRONG_TYPE;
  if (dv_column_option_label (column, json_node_get_int (in)) != NULL)
    {
      *out = json_node_copy (in);
      return CONVERTED;
    }
  accepted = g_string_new (NULL);
  for (guint i = 0; i < column->n_options; i++)
    g_string_append_printf (accepted, "%s%d", i ? "," : "", column->options[i].value);
  /* INFER: the code Dataverse uses for an option outside the set. */
  dv_response_error (resp, SOUP_STATUS_BAD_REQUEST, "0x8004431a",
                     "A validation error occurred.  The value %" G_GINT64_FORMAT " of '%s' "
                     "on record of type '%s' is outside the valid range. Accepted Values: %s",
                     json_node_get_int (in), column->logical_name, table->logical_name,
                     accepted->str);
  return REFUSED;
}

/* A date only: yyyy-mm-dd, a real day. */
static Conversion
convert_date (JsonNode  *in,
              JsonNode **out)
{
  const char *text = holds (in, G_TYPE_STRING) ? json_node_get_string (in) : NULL;

  if (text == NULL || strlen (text) != 10 || text[4] != '-' || text[7] != '-'
      || !g_date_valid_dmy (g_ascii_strtoull (text + 8, NULL, 10),
                            g_ascii_strtoull (text + 5, NULL, 10),
                            g_ascii_strtoull (text, NULL, 10)))
    return WRONG_TYPE;
  *out = json_node_copy (in);
  return CONVERTED;
}

/* An ISO-8601 time, kept in UTC to the second. */
static Conversion
convert_datetime (JsonNode  *in,
                  JsonNode **out)
{
  g_autoptr(GDateTime) parsed = NULL;
  g_autoptr(GDateTime) utc = NULL;
  g_autofree char *text = NULL;

  if (!holds (in, G_TYPE_STRING)
      || (parsed = g_date_time_new_from_iso8601 (json_node_get_string (in), NULL)) == NULL)
    return WRONG_TYPE;
  utc = g_date_time_to_utc (parsed);
  text = g_date_time_format (utc, "%Y-%m-%dT%H:%M:%SZ");
  *out = json_node_init_string (json_node_alloc (), text);
  return CONVERTED;
}

/* A value held as it came, when of @type. */
static Conversion
convert_as_is (JsonNode  *in,
               GType      type,
               JsonNode **out)
{
  if (!holds (in, type))
    return WRONG_TYPE;
  *out = json_node_copy (in);
  return CONVERTED;
}

gboolean
dv_column_convert (DvTable     *table,
                   DvColumn    *column,
                   JsonNode    *in,
                   JsonNode   **out,
                   DvResponse  *resp)
{
  Conversion conversion;

  if (JSON_NODE_HOLDS_NULL (in))
    {
      *out = json_node_new (JSON_NODE_NULL);
      return TRUE;
    }

  switch (column->type)
    {
    case DV_TYPE_STRING:
    case DV_TYPE_MEMO:
      conversion = convert_text (table, column, in, out, resp);
      break;
    case DV_TYPE_UNIQUEIDENTIFIER:
    case DV_TYPE_LOOKUP:
      conversion = convert_guid (in, out);
      break;
    case DV_TYPE_BOOLEAN:
      conversion = convert_as_is (in, G_TYPE_BOOLEAN, out);
      break;
    case DV_TYPE_PICKLIST:
    case DV_TYPE_STATE:
    case DV_TYPE_STATUS:
      conversion = convert_option (table, column, in, out, resp);
      break;
    case DV_TYPE_DATE:
      conversion = convert_date (in, out);
      break;
    case DV_TYPE_DATETIME:
      conversion = convert_datetime (in, out);
      break;
    case DV_TYPE_BIGINT:
    case DV_TYPE_INTEGER:
      conversion = convert_as_is (in, G_TYPE_INT64, out);
      break;
    default:
      conversion = WRONG_TYPE;
      break;
    }

  if (conversion == WRONG_TYPE)
    wrong_type (table, column, in, resp);
  return conversion == CONVERTED;
}

char *
dv_row_etag (DvRow *row)
{
  return g_strdup_printf ("W/\"%" G_GINT64_FORMAT "\"", row->version);
}

/* ---- rows --------------------------------------------------------------- */

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

/* Puts @row into every index of @table. */
static void
link_row (DvTable *table,
          DvRow   *row)
{
  GList *l;

  g_hash_table_insert (table->rows, row->id, row);

  if (g_sequence_is_empty (table->order)
      || ((DvRow *) g_sequence_get (g_sequence_iter_prev (g_sequence_get_end_iter (table->order))))->seq < row->seq)
    row->order_iter = g_sequence_append (table->order, row);
  else
    row->order_iter = g_sequence_insert_sorted (table->order, row, dv_row_compare_seq, NULL);

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

  dv_keys_link_row (table, row);
}

/* Takes @row out of every index; the caller owns it afterwards. */
static void
unlink_row (DvTable *table,
            DvRow   *row)
{
  dv_keys_unlink_row (table, row);
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

      json_object_set_member (row->data, column->property,
                              given ? json_node_copy (given) : dv_column_default (column));
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
  dv_row_free (row);
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
  /* INFER: Dataverse refuses to delete a column a key uses; the admin
   * API simulates a column gone anyway, and its keys go with it. */
  dv_table_drop_keys_with (table, column->property);
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
    dv_row_free (entry->before);
  g_free (entry);
}

DvUndoLog *
dv_undo_begin (DvServer *self)
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
dv_undo_rollback (DvServer *self,
                  DvUndoLog         *log)
{
  for (guint i = log->entries->len; i > 0; i--)
    {
      UndoEntry *entry = g_ptr_array_index (log->entries, i - 1);
      DvRow *current = g_hash_table_lookup (entry->table->rows, entry->id);

      if (current != NULL)
        {
          unlink_row (entry->table, current);
          dv_row_free (current);
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
