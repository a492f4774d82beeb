/* dv-keys.c — a table's alternate keys (notes §7): their definitions, the
 * unique index each keeps over the rows, and the key segment of a URL,
 * "(<guid>)", "(contactid=<guid>)" or "(col='a',other=2)", resolved to a
 * row.
 *
 * A key's index holds rows whose key columns all have a value; a row with
 * an empty key column is not indexed (and so never conflicts), as a
 * filtered unique index does. String values compare case-insensitively,
 * like SQL Server's default collation.
 */
#include "config.h"

#include <string.h>

#include "dv-private.h"
#include "cc-sandbox-seed.h"

#define PART_SEPARATOR "\x1f"

void
dv_key_free (DvKey *key)
{
  g_free (key->logical_name);
  g_free (key->schema_name);
  g_free (key->display_name);
  g_free (key->metadata_id);
  g_strfreev (key->properties);
  g_hash_table_unref (key->index);
  g_free (key);
}

/* One value as it takes part in a composite, or NULL when empty. */
static char *
part_of (JsonNode *node)
{
  if (node == NULL || JSON_NODE_HOLDS_NULL (node) || !JSON_NODE_HOLDS_VALUE (node))
    return NULL;
  switch (json_node_get_value_type (node))
    {
    case G_TYPE_STRING:
      return g_utf8_casefold (json_node_get_string (node), -1);
    case G_TYPE_BOOLEAN:
      return g_strdup (json_node_get_boolean (node) ? "true" : "false");
    case G_TYPE_INT64:
      return g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (node));
    default:
      return json_to_string (node, FALSE);
    }
}

gboolean
dv_key_values_equal (JsonNode *a,
                     JsonNode *b)
{
  g_autofree char *x = part_of (a);
  g_autofree char *y = part_of (b);

  return g_strcmp0 (x, y) == 0;
}

/* The composite of @key's values: those of @values first, then of @row
 * (NULL = none). NULL when a key column is empty. */
static char *
composite_of (DvKey      *key,
              DvRow      *row,
              JsonObject *values)
{
  GString *out = g_string_new (NULL);

  for (guint i = 0; key->properties[i] != NULL; i++)
    {
      JsonNode *node = values ? json_object_get_member (values, key->properties[i]) : NULL;
      g_autofree char *part = NULL;

      if (node == NULL && row != NULL)
        node = json_object_get_member (row->data, key->properties[i]);
      if ((part = part_of (node)) == NULL)
        {
          g_string_free (out, TRUE);
          return NULL;
        }
      if (i > 0)
        g_string_append (out, PART_SEPARATOR);
      g_string_append (out, part);
    }
  return g_string_free (out, FALSE);
}

DvKey *
dv_table_add_key (DvTable           *table,
                  const DvKeySpec   *spec)
{
  DvKey *key = g_new0 (DvKey, 1);
  g_autofree char *kind = g_strdup_printf ("key:%s.%s", table->logical_name, spec->logical_name);
  GPtrArray *properties = g_ptr_array_new ();
  GHashTableIter iter;
  gpointer row;

  key->logical_name = g_strdup (spec->logical_name);
  key->schema_name = g_strdup (spec->schema_name);
  key->display_name = g_strdup (spec->display_name);
  key->metadata_id = cc_sandbox_seed_guid (table->server->options.seed, kind, 0);
  for (guint i = 0; spec->columns[i] != NULL; i++)
    {
      DvColumn *column = dv_table_column_by_name (table, spec->columns[i]);

      g_return_val_if_fail (column != NULL, NULL);
      g_ptr_array_add (properties, g_strdup (column->property));
    }
  g_ptr_array_add (properties, NULL);
  key->properties = (char **) g_ptr_array_free (properties, FALSE);
  key->index = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  /* A key defined on a table with rows indexes them at once; rows that
   * already share a value make the index fail, as a unique index does. */
  key->status = "Active";
  g_hash_table_iter_init (&iter, table->rows);
  while (g_hash_table_iter_next (&iter, NULL, &row))
    {
      char *composite = composite_of (key, row, NULL);

      if (composite != NULL && !g_hash_table_insert (key->index, composite, row))
        key->status = "Failed";
    }
  g_ptr_array_add (table->keys, key);
  return key;
}

gboolean
dv_key_has_property (DvKey      *key,
                     const char *property)
{
  return g_strv_contains ((const char * const *) key->properties, property);
}

void
dv_table_drop_keys_with (DvTable    *table,
                         const char *property)
{
  for (guint i = table->keys->len; i > 0; i--)
    if (dv_key_has_property (g_ptr_array_index (table->keys, i - 1), property))
      g_ptr_array_remove_index (table->keys, i - 1);
}

void
dv_keys_link_row (DvTable *table,
                  DvRow   *row)
{
  for (guint i = 0; i < table->keys->len; i++)
    {
      DvKey *key = g_ptr_array_index (table->keys, i);
      char *composite = composite_of (key, row, NULL);

      if (composite != NULL)
        g_hash_table_insert (key->index, composite, row);
    }
}

void
dv_keys_unlink_row (DvTable *table,
                    DvRow   *row)
{
  for (guint i = 0; i < table->keys->len; i++)
    {
      DvKey *key = g_ptr_array_index (table->keys, i);
      g_autofree char *composite = composite_of (key, row, NULL);

      if (composite != NULL && g_hash_table_lookup (key->index, composite) == row)
        g_hash_table_remove (key->index, composite);
    }
}

DvRow *
dv_table_key_conflict (DvTable    *table,
                       DvRow      *row,
                       JsonObject *values)
{
  for (guint i = 0; i < table->keys->len; i++)
    {
      DvKey *key = g_ptr_array_index (table->keys, i);
      g_autofree char *composite = composite_of (key, row, values);
      DvRow *other = composite ? g_hash_table_lookup (key->index, composite) : NULL;

      if (other != NULL && other != row)
        return other;
    }
  return NULL;
}

/* ---- key segments ---------------------------------------------------- */

void
dv_invalid_key (DvTable    *table,
                DvResponse *resp)
{
  dv_response_error (resp, SOUP_STATUS_BAD_REQUEST, "0x80060888",
                     "The key in the request URI is not valid for resource '" DV_NAMESPACE ".%s'. "
                     "Ensure that the names and number of key properties are correct.",
                     table->logical_name);
}

/* Reads one literal of a key segment at *@p ('text' with '' escaping, a
 * GUID, a number, true/false) up to the next top-level comma. */
static JsonNode *
read_literal (const char **p)
{
  const char *s = *p;

  if (*s == '\'')
    {
      g_autoptr(GString) text = g_string_new (NULL);

      for (s++; *s != '\0'; s++)
        {
          if (*s == '\'' && s[1] == '\'')
            {
              g_string_append_c (text, '\'');
              s++;
            }
          else if (*s == '\'')
            break;
          else
            g_string_append_c (text, *s);
        }
      if (*s != '\'')
        return NULL;
      *p = s + 1;
      /* The node keeps a copy of its own. */
      return json_node_init_string (json_node_alloc (), text->str);
    }
  else
    {
      gsize len = strcspn (s, ",");
      g_autofree char *word = g_strndup (s, len);
      char *end = NULL;
      gint64 number;

      *p = s + len;
      if (g_str_equal (word, "true") || g_str_equal (word, "false"))
        return json_node_init_boolean (json_node_alloc (), g_str_equal (word, "true"));
      if (dv_is_guid (word))
        return json_node_init_string (json_node_alloc (), word);
      number = g_ascii_strtoll (word, &end, 10);
      if (end != word && *end == '\0')
        return json_node_init_int (json_node_alloc (), number);
      return NULL;
    }
}

/* "a='x',b=2" → { a: "x", b: 2 } in column values; NULL with a 400. */
static JsonObject *
parse_named_values (DvTable    *table,
                    const char *text,
                    DvResponse *resp)
{
  g_autoptr(JsonObject) values = json_object_new ();
  const char *p = text;

  while (*p != '\0')
    {
      const char *eq = strchr (p, '=');
      g_autofree char *name = NULL;
      g_autoptr(JsonNode) literal = NULL;
      JsonNode *converted = NULL;
      DvColumn *column;
      DvResponse *scratch;
      gboolean ok;

      if (eq == NULL)
        goto invalid;
      name = g_strstrip (g_strndup (p, eq - p));
      p = eq + 1;
      if ((literal = read_literal (&p)) == NULL || (*p != '\0' && *p != ','))
        goto invalid;
      if (*p == ',')
        p++;
      column = dv_table_column (table, name);
      if (column == NULL || json_object_has_member (values, name))
        goto invalid;
      scratch = dv_response_new ();
      ok = dv_column_convert (table, column, literal, &converted, scratch);
      dv_response_free (scratch);
      if (!ok)
        goto invalid;
      json_object_set_member (values, column->property, converted);
    }
  return g_steal_pointer (&values);

invalid:
  dv_invalid_key (table, resp);
  return NULL;
}

/* The key whose columns are exactly the members of @values. */
static DvKey *
key_named_by (DvTable    *table,
              JsonObject *values)
{
  guint n = json_object_get_size (values);

  for (guint i = 0; i < table->keys->len; i++)
    {
      DvKey *key = g_ptr_array_index (table->keys, i);
      gboolean all = g_strv_length (key->properties) == n;

      for (guint k = 0; all && key->properties[k] != NULL; k++)
        all = json_object_has_member (values, key->properties[k]);
      if (all)
        return key;
    }
  return NULL;
}

gboolean
dv_resolve_key (DvTable     *table,
                const char  *text,
                DvRow      **row,
                char       **id,
                JsonObject **key_values,
                DvResponse  *resp)
{
  g_autoptr(JsonObject) values = NULL;
  g_autofree char *composite = NULL;
  const char *pk;
  DvKey *key;

  *row = NULL;
  *id = NULL;
  *key_values = NULL;

  if (strchr (text, '=') == NULL)
    {
      if (!dv_is_guid (text))
        {
          dv_invalid_key (table, resp);
          return FALSE;
        }
      *id = g_ascii_strdown (text, -1);
      *row = dv_table_row (table, *id);
      return TRUE;
    }

  if ((values = parse_named_values (table, text, resp)) == NULL)
    return FALSE;
  pk = json_object_get_string_member_with_default (values, table->primary_id, NULL);
  if (pk != NULL && json_object_get_size (values) == 1)
    {
      *id = g_strdup (pk);
      *row = dv_table_row (table, *id);
      return TRUE;
    }
  if ((key = key_named_by (table, values)) == NULL)
    {
      dv_invalid_key (table, resp);
      return FALSE;
    }
  composite = composite_of (key, NULL, values);
  *row = composite ? g_hash_table_lookup (key->index, composite) : NULL;
  *key_values = g_steal_pointer (&values);
  return TRUE;
}
