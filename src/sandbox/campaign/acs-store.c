/* acs-store.c — the records of one Campaign resource: storage in
 * insertion order with lookups by PKey and custom key, and the validation
 * Campaign applies to a create or an update.
 *
 * A record is kept once, in a GSequence (insertion order, O(log n) access
 * by position for paging); two hash tables index it by PKey and by custom
 * key, so reads and PATCHes never scan.
 */
#include "config.h"

#include <string.h>

#include "acs-private.h"

/* Where a link field of the table points. */
typedef struct
{
  AcsTable *target;
  char     *href;      /* the collection of the target's records */
} AcsLink;

struct _AcsTable
{
  const AcsResource *resource;
  GSequence                *order;    /* AcsRecord, owned */
  GHashTable               *by_pkey;  /* PKey (the record's) → record */
  GHashTable               *by_key;   /* custom key (owned) → record */
  GHashTable               *links;    /* link field name → AcsLink */
  GHashTable               *changes;  /* field name (interned) → AcsSchemaChange */
  guint64                   next_serial;
};

/* Longest value quoted back in an error message. */
#define QUOTE_MAX 64

static void
record_free (gpointer data)
{
  AcsRecord *record = data;

  g_free (record->pkey);
  g_clear_pointer (&record->values, json_object_unref);
  g_free (record);
}

static void
link_free (gpointer data)
{
  AcsLink *link = data;

  g_free (link->href);
  g_free (link);
}

AcsTable *
acs_table_new (const AcsResource *resource)
{
  AcsTable *table = g_new0 (AcsTable, 1);

  table->resource = resource;
  table->order = g_sequence_new (record_free);
  table->by_pkey = g_hash_table_new (g_str_hash, g_str_equal);
  table->by_key = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  table->links = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, link_free);
  table->changes = g_hash_table_new (g_str_hash, g_str_equal);
  return table;
}

gboolean
acs_table_change_field (AcsTable        *table,
                        const char      *name,
                        AcsSchemaChange  change)
{
  const AcsField *field = acs_resource_find_field (table->resource, name, TRUE);

  if (field == NULL || strcmp (field->name, "PKey") == 0
      || g_strcmp0 (field->name, table->resource->key) == 0)
    return FALSE;
  g_hash_table_insert (table->changes, (gpointer) g_intern_string (field->name),
                       GINT_TO_POINTER (change));
  return TRUE;
}

AcsSchemaChange
acs_table_field_change (AcsTable       *table,
                        const AcsField *field)
{
  if (table == NULL)
    return ACS_SCHEMA_AS_DEFINED;
  return GPOINTER_TO_INT (g_hash_table_lookup (table->changes, field->name));
}

void
acs_table_link (AcsTable   *table,
                const char *field,
                AcsTable   *target,
                const char *target_href)
{
  AcsLink *link = g_new0 (AcsLink, 1);

  link->target = target;
  link->href = g_strdup (target_href);
  g_hash_table_replace (table->links, (gpointer) g_intern_string (field), link);
}

void
acs_table_free (AcsTable *table)
{
  if (table == NULL)
    return;
  g_hash_table_unref (table->links);
  g_hash_table_unref (table->changes);
  g_hash_table_unref (table->by_key);
  g_hash_table_unref (table->by_pkey);
  g_sequence_free (table->order);
  g_free (table);
}

const AcsResource *
acs_table_get_resource (AcsTable *table)
{
  return table->resource;
}

guint
acs_table_get_size (AcsTable *table)
{
  return g_hash_table_size (table->by_pkey);
}

AcsRecord *
acs_table_lookup_key (AcsTable *table,
                              const char      *key)
{
  /* A resource whose key was dropped has no custom key any more. */
  if (key == NULL || *key == '\0' || table->resource->key == NULL)
    return NULL;
  return g_hash_table_lookup (table->by_key, key);
}

AcsRecord *
acs_table_lookup (AcsTable *table,
                          const char      *id,
                          gboolean         by_key)
{
  AcsRecord *record = g_hash_table_lookup (table->by_pkey, id);

  if (record == NULL && by_key)
    record = acs_table_lookup_key (table, id);
  return record;
}

AcsRecord *
acs_table_nth (AcsTable *table,
                       guint            position)
{
  GSequenceIter *iter;

  if (position >= (guint) g_sequence_get_length (table->order))
    return NULL;
  iter = g_sequence_get_iter_at_pos (table->order, position);
  return g_sequence_get (iter);
}

void
acs_table_foreach (AcsTable *table,
                           GFunc            func,
                           gpointer         user_data)
{
  g_sequence_foreach (table->order, func, user_data);
}

gint64
acs_now_ms (void)
{
  return g_get_real_time () / 1000;
}

char *
acs_format_time (gint64 ms)
{
  g_autoptr(GDateTime) dt = g_date_time_new_from_unix_utc (ms / 1000);
  g_autofree char *seconds = NULL;

  if (dt == NULL)
    return g_strdup ("");
  seconds = g_date_time_format (dt, "%Y-%m-%d %H:%M:%S");
  return g_strdup_printf ("%s.%03dZ", seconds, (int) (ms % 1000));
}

gboolean
acs_parse_time (const char *text,
                        gint64     *out_ms)
{
  g_autoptr(GTimeZone) utc = g_time_zone_new_utc ();
  g_autoptr(GDateTime) dt = NULL;
  g_autofree char *iso = NULL;
  char *space;

  if (text == NULL || *text == '\0')
    return FALSE;
  /* A bare date means its midnight; Campaign writes date-times with a
   * space where ISO 8601 has a 'T'. Without a zone, UTC is meant. */
  if (strlen (text) == 10)
    iso = g_strconcat (text, "T00:00:00", NULL);
  else
    iso = g_strdup (text);
  if ((space = strchr (iso, ' ')) != NULL)
    *space = 'T';
  dt = g_date_time_new_from_iso8601 (iso, utc);
  if (dt == NULL)
    return FALSE;
  *out_ms = g_date_time_to_unix (dt) * 1000 + g_date_time_get_microsecond (dt) / 1000;
  return TRUE;
}

static JsonNode *
default_value (const AcsField *field)
{
  switch (field->type)
    {
    case ACS_FIELD_BOOLEAN:
      return json_node_init_boolean (json_node_alloc (), FALSE);
    case ACS_FIELD_ENUMERATION:
      return json_node_init_string (json_node_alloc (), field->values[0]);
    case ACS_FIELD_STRING:
    case ACS_FIELD_EMAIL:
    case ACS_FIELD_DATE:
    case ACS_FIELD_DATETIME:
    case ACS_FIELD_LINK:
    default:
      /* Campaign shows an empty string for an unset text or date; an
       * unset link is stored the same way and not shown. */
      return json_node_init_string (json_node_alloc (), "");
    }
}

static gboolean
is_atext (char c)
{
  return g_ascii_isalnum (c) || strchr ("!#$%&'*+/=?^_`{|}~-", c) != NULL;
}

/* A syntactic check of an address, as Campaign's "email" data policy
 * does: dot-atoms on both sides of one '@', a domain with a dot and a
 * letters-only top level. Internationalised addresses are refused (INFER:
 * the notes do not say; ASCII keeps the sandbox strict). */
static gboolean
is_valid_email (const char *email)
{
  const char *at = strchr (email, '@');
  const char *p;
  const char *label;
  const char *last_label = NULL;
  guint n_labels = 0;

  if (at == NULL || at == email || strchr (at + 1, '@') != NULL || at - email > 64)
    return FALSE;
  for (p = email; p < at; p++)
    {
      if (*p == '.')
        {
          if (p == email || p + 1 == at || p[1] == '.')
            return FALSE;
        }
      else if (!is_atext (*p))
        return FALSE;
    }
  label = at + 1;
  for (p = label;; p++)
    {
      if (*p == '.' || *p == '\0')
        {
          gsize len = p - label;

          if (len == 0 || len > 63 || label[0] == '-' || p[-1] == '-')
            return FALSE;
          n_labels++;
          last_label = label;
          if (*p == '\0')
            break;
          label = p + 1;
        }
      else if (!g_ascii_isalnum (*p) && *p != '-')
        return FALSE;
    }
  if (n_labels < 2 || strlen (last_label) < 2)
    return FALSE;
  for (p = last_label; *p; p++)
    if (!g_ascii_isalpha (*p))
      return FALSE;
  return TRUE;
}

static gboolean
is_valid_date (const char *text)
{
  guint year = 0, month = 0, day = 0;

  if (strlen (text) != 10 || text[4] != '-' || text[7] != '-')
    return FALSE;
  for (guint i = 0; i < 10; i++)
    {
      if (i == 4 || i == 7)
        continue;
      if (!g_ascii_isdigit (text[i]))
        return FALSE;
      if (i < 4)
        year = year * 10 + g_ascii_digit_value (text[i]);
      else if (i < 7)
        month = month * 10 + g_ascii_digit_value (text[i]);
      else
        day = day * 10 + g_ascii_digit_value (text[i]);
    }
  return year > 0 && g_date_valid_dmy (day, month, year);
}

static char *
quote (const char *value)
{
  g_autofree char *head = NULL;

  if (g_utf8_strlen (value, -1) <= QUOTE_MAX)
    return g_strdup (value);
  head = g_utf8_substring (value, 0, QUOTE_MAX);
  return g_strconcat (head, "…", NULL);
}

static gboolean
set_invalid (GError     **error,
             const char  *field,
             const char  *value,
             const char  *expected)
{
  g_autofree char *quoted = quote (value);

  g_set_error (error, ACS_ERROR, SOUP_STATUS_BAD_REQUEST,
               "The value '%s' of the '%s' property is not valid: %s",
               quoted, field, expected);
  return FALSE;
}

static const char *
string_of (JsonNode *node)
{
  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node)
      || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

/* A link is written as the linked record's PKey, {"PKey": "@..."}, as
 * Adobe documents for the profile's orgUnit; it must name a record that
 * exists (INFER: the status of a refusal is not documented). Stored as
 * that PKey. */
static JsonNode *
validate_link (AcsTable        *table,
               const AcsField  *field,
               JsonNode        *node,
               GError         **error)
{
  AcsLink *link = g_hash_table_lookup (table->links, field->name);
  const char *pkey = JSON_NODE_HOLDS_OBJECT (node)
                     ? string_of (json_object_get_member (json_node_get_object (node), "PKey"))
                     : NULL;

  if (pkey == NULL)
    {
      g_set_error (error, ACS_ERROR, SOUP_STATUS_BAD_REQUEST,
                   "The '%s' property is a link: write it as {\"PKey\": \"<PKey of the %s>\"}",
                   field->name, field->link_target);
      return NULL;
    }
  if (link == NULL || acs_table_lookup (link->target, pkey, FALSE) == NULL)
    {
      g_autofree char *quoted = quote (pkey);

      g_set_error (error, ACS_ERROR, SOUP_STATUS_BAD_REQUEST,
                   "The '%s' link names no %s record with PKey '%s'",
                   field->name, field->link_target, quoted);
      return NULL;
    }
  return json_node_init_string (json_node_alloc (), pkey);
}

/* Checks one member against its field and returns the value to store. */
static JsonNode *
validate_value (AcsTable        *table,
                const AcsField  *field,
                JsonNode        *node,
                GError         **error)
{
  const char *text;
  g_autofree char *converted = NULL;

  if (JSON_NODE_HOLDS_NULL (node))
    return default_value (field);
  if (field->type == ACS_FIELD_LINK)
    return validate_link (table, field, node, error);

  if (field->type == ACS_FIELD_BOOLEAN)
    {
      if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_BOOLEAN)
        {
          g_set_error (error, ACS_ERROR, SOUP_STATUS_BAD_REQUEST,
                       "The '%s' property must be a boolean (true or false)", field->name);
          return NULL;
        }
      return json_node_copy (node);
    }

  if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
    text = json_node_get_string (node);
  else if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_INT64
           && field->type == ACS_FIELD_STRING)
    {
      /* A whole number written into a text field is stored as its digits
       * (INFER: Campaign converts scalars to the field's type). */
      converted = g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (node));
      text = converted;
    }
  else
    {
      g_set_error (error, ACS_ERROR, SOUP_STATUS_BAD_REQUEST,
                   "The '%s' property must be a string", field->name);
      return NULL;
    }

  switch (field->type)
    {
    case ACS_FIELD_EMAIL:
      if (*text != '\0' && !is_valid_email (text))
        {
          set_invalid (error, field->name, text, "it is not a valid email address");
          return NULL;
        }
      G_GNUC_FALLTHROUGH;
    case ACS_FIELD_STRING:
      if (field->length > 0 && g_utf8_strlen (text, -1) > (glong) field->length)
        {
          g_set_error (error, ACS_ERROR, SOUP_STATUS_BAD_REQUEST,
                       "The value of the '%s' property is too long: %ld characters, at most %u",
                       field->name, g_utf8_strlen (text, -1), field->length);
          return NULL;
        }
      break;

    case ACS_FIELD_DATE:
      if (*text != '\0' && !is_valid_date (text))
        {
          set_invalid (error, field->name, text, "a date YYYY-MM-DD is expected");
          return NULL;
        }
      break;

    case ACS_FIELD_ENUMERATION:
      if (!g_strv_contains (field->values, text))
        {
          g_autofree char *expected = g_strjoinv (", ", (char **) field->values);
          g_autofree char *reason = g_strconcat ("expected one of ", expected, NULL);

          set_invalid (error, field->name, text, reason);
          return NULL;
        }
      break;

    case ACS_FIELD_DATETIME:
    case ACS_FIELD_BOOLEAN:
    case ACS_FIELD_LINK:
    default:
      /* Read-only or handled above. */
      break;
    }
  return json_node_init_string (json_node_alloc (), text);
}

/* Validates every member of @body into a new object of changes under the
 * fields' current names. @record is NULL for a create. */
static JsonObject *
validate_body (AcsTable   *table,
               AcsRecord  *record,
               JsonObject        *body,
               gboolean           ext_view,
               GError           **error)
{
  const AcsResource *resource = table->resource;
  g_autoptr(JsonObject) changes = json_object_new ();
  g_autoptr(GList) members = json_object_get_members (body);

  for (GList *l = members; l != NULL; l = l->next)
    {
      const char *name = l->data;
      const AcsField *field;
      JsonNode *value;

      /* The documented answer to writing a read-only property is a 500
       * that names it. */
      if (strcmp (name, "href") == 0)
        {
          g_set_error (error, ACS_ERROR, SOUP_STATUS_INTERNAL_SERVER_ERROR,
                       "Cannot update the '%s' property that is read-only", name);
          return NULL;
        }
      field = acs_resource_find_field (resource, name, ext_view);
      if (field == NULL || acs_table_field_change (table, field) == ACS_SCHEMA_REMOVED)
        {
          g_set_error (error, ACS_ERROR, SOUP_STATUS_BAD_REQUEST,
                       "Unknown property '%s' for the resource '%s'", name, resource->name);
          return NULL;
        }
      if ((field->flags & ACS_FIELD_READ_ONLY)
          || acs_table_field_change (table, field) == ACS_SCHEMA_READ_ONLY)
        {
          g_set_error (error, ACS_ERROR, SOUP_STATUS_INTERNAL_SERVER_ERROR,
                       "Cannot update the '%s' property that is read-only", field->name);
          return NULL;
        }
      value = validate_value (table, field, json_object_get_member (body, name), error);
      if (value == NULL)
        return NULL;

      if (field->flags & ACS_FIELD_KEY)
        {
          const char *key = json_node_get_string (value);
          const char *current = record ? acs_record_get_string (record, field->name) : "";
          AcsRecord *owner;

          /* The notes: a custom key cannot be changed by PATCH. Setting
           * the same value again is no change. Refused with a 400
           * (INFER: the status is not documented). */
          if (*current != '\0' && strcmp (current, key) != 0)
            {
              json_node_unref (value);
              g_set_error (error, ACS_ERROR, SOUP_STATUS_BAD_REQUEST,
                           "The custom key '%s' cannot be changed by PATCH; delete the record "
                           "and create it again instead", field->name);
              return NULL;
            }
          owner = acs_table_lookup_key (table, key);
          if (owner != NULL && owner != record)
            {
              g_autofree char *quoted = quote (key);

              json_node_unref (value);
              /* The notes only say "an error"; a 409 in Campaign's error
               * shape is our reading (INFER). */
              g_set_error (error, ACS_ERROR, SOUP_STATUS_CONFLICT,
                           "A record of '%s' with %s '%s' already exists; update it with PATCH instead",
                           resource->name, field->name, quoted);
              return NULL;
            }
        }
      json_object_set_member (changes, field->name, value);
    }

  /* A custom resource's key identifies the record: it must be given. A
   * profile may lack one (profiles created in Campaign have none). */
  if (record == NULL && resource->key != NULL && !resource->is_profile)
    {
      JsonNode *key = json_object_get_member (changes, resource->key);

      if (key == NULL || *json_node_get_string (key) == '\0')
        {
          g_set_error (error, ACS_ERROR, SOUP_STATUS_BAD_REQUEST,
                       "The key property '%s' is mandatory", resource->key);
          return NULL;
        }
    }
  return g_steal_pointer (&changes);
}

static void
apply_changes (AcsTable  *table,
               AcsRecord *record,
               JsonObject       *changes)
{
  const char *key_field = table->resource->key;
  JsonObjectIter iter;
  const char *name;
  JsonNode *value;

  json_object_iter_init (&iter, changes);
  while (json_object_iter_next (&iter, &name, &value))
    {
      if (key_field != NULL && strcmp (name, key_field) == 0)
        {
          const char *key = json_node_get_string (value);

          /* validate_body() let through only a first key or the same. */
          if (*key != '\0' && acs_table_lookup_key (table, key) == NULL)
            g_hash_table_insert (table->by_key, g_strdup (key), record);
        }
      json_object_set_member (record->values, name, json_node_copy (value));
    }
  record->modified_ms = acs_now_ms ();
}

AcsRecord *
acs_table_insert (AcsTable  *table,
                          JsonObject       *body,
                          gboolean          ext_view,
                          GError          **error)
{
  g_autoptr(JsonObject) changes = validate_body (table, NULL, body, ext_view, error);
  AcsRecord *record;

  if (changes == NULL)
    return NULL;

  record = g_new0 (AcsRecord, 1);
  do
    {
      /* Opaque like Campaign's own (e.g. "@Qy2MRJCS67PFf8so…"): random,
       * so nothing about the record can be read from or guessed into it. */
      g_free (record->pkey);
      record->pkey = acs_random_string ("@", 30);
    }
  while (g_hash_table_contains (table->by_pkey, record->pkey));
  record->values = json_object_new ();
  for (guint i = 0; i < table->resource->n_fields; i++)
    {
      const AcsField *field = &table->resource->fields[i];

      if (!(field->flags & ACS_FIELD_READ_ONLY))
        json_object_set_member (record->values, field->name, default_value (field));
    }
  record->serial = table->next_serial++;
  record->iter = g_sequence_append (table->order, record);
  g_hash_table_insert (table->by_pkey, record->pkey, record);
  apply_changes (table, record, changes);
  record->created_ms = record->modified_ms;
  return record;
}

gboolean
acs_table_update (AcsTable   *table,
                          AcsRecord  *record,
                          JsonObject        *body,
                          gboolean           ext_view,
                          GError           **error)
{
  g_autoptr(JsonObject) changes = validate_body (table, record, body, ext_view, error);

  if (changes == NULL)
    return FALSE;
  apply_changes (table, record, changes);
  return TRUE;
}

void
acs_table_remove (AcsTable  *table,
                          AcsRecord *record)
{
  if (table->resource->key != NULL)
    {
      const char *key = acs_record_get_string (record, table->resource->key);

      if (*key != '\0' && g_hash_table_lookup (table->by_key, key) == record)
        g_hash_table_remove (table->by_key, key);
    }
  g_hash_table_remove (table->by_pkey, record->pkey);
  g_sequence_remove (record->iter);
}

const char *
acs_record_get_string (const AcsRecord *record,
                               const char             *field)
{
  JsonNode *node = json_object_get_member (record->values, field);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node)
      || json_node_get_value_type (node) != G_TYPE_STRING)
    return "";
  return json_node_get_string (node);
}

/* A set link shows the linked record's PKey and href; an unset one (or
 * one whose record is gone) is not shown. */
static void
build_link (AcsTable       *table,
            const AcsField *field,
            const char     *pkey,
            JsonBuilder    *builder)
{
  AcsLink *link = g_hash_table_lookup (table->links, field->name);
  g_autofree char *href = NULL;

  if (*pkey == '\0' || link == NULL || acs_table_lookup (link->target, pkey, FALSE) == NULL)
    return;
  href = g_strconcat (link->href, "/", pkey, NULL);
  json_builder_set_member_name (builder, field->name);
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "PKey");
  json_builder_add_string_value (builder, pkey);
  json_builder_set_member_name (builder, "href");
  json_builder_add_string_value (builder, href);
  json_builder_end_object (builder);
}

void
acs_record_build (AcsTable        *table,
                  const AcsRecord *record,
                  gboolean         ext_view,
                  const char      *collection_href,
                  JsonBuilder     *builder)
{
  const AcsResource *resource = table->resource;
  g_autofree char *href = g_strconcat (collection_href, "/", record->pkey, NULL);

  json_builder_begin_object (builder);
  for (guint i = 0; i < resource->n_fields; i++)
    {
      const AcsField *field = &resource->fields[i];

      if (((field->flags & ACS_FIELD_EXT_ONLY) && !ext_view)
          || acs_table_field_change (table, field) == ACS_SCHEMA_REMOVED)
        continue;
      if (field->type == ACS_FIELD_LINK)
        {
          build_link (table, field, acs_record_get_string (record, field->name), builder);
          continue;
        }
      json_builder_set_member_name (builder, field->name);
      if (strcmp (field->name, "PKey") == 0)
        json_builder_add_string_value (builder, record->pkey);
      else if (strcmp (field->name, "created") == 0)
        {
          g_autofree char *text = acs_format_time (record->created_ms);

          json_builder_add_string_value (builder, text);
        }
      else if (strcmp (field->name, "lastModified") == 0)
        {
          g_autofree char *text = acs_format_time (record->modified_ms);

          json_builder_add_string_value (builder, text);
        }
      else
        json_builder_add_value (builder, json_node_copy (json_object_get_member (record->values,
                                                                                 field->name)));
    }
  json_builder_set_member_name (builder, "href");
  json_builder_add_string_value (builder, href);
  json_builder_end_object (builder);
}
